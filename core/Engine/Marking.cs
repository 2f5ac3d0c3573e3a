namespace MmFuzz.Engine;

/// <summary>How the kernel marks an access (for the data-race detector: marked accesses are exempt).</summary>
public enum Marking : byte
{
    /// <summary>A plain C access.</summary>
    Plain,
    /// <summary><c>READ_ONCE</c>.</summary>
    ReadOnce,
    /// <summary><c>WRITE_ONCE</c>.</summary>
    WriteOnce,
    /// <summary>Inside <c>data_race()</c>.</summary>
    DataRace,
    /// <summary>An atomic, bit or lock operation.</summary>
    Atomic,
}
