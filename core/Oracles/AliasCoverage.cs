using MmFuzz.Engine;
using MmFuzz.Memory;

namespace MmFuzz.Oracles;

/// <summary>
/// Interleaving coverage for the generating hunt's feedback, in the spirit of KRACE's alias coverage
/// (Xu, Kashyap, Min and Kim, S&amp;P 2020): each time a CPU accesses a word of a shared object that
/// another CPU accessed last, and one of the two accesses writes, the ordered pair becomes a feature —
/// the object's kind and field, each side's site (the operation it runs and the innermost kernel
/// function, by name), whether each side writes, and how many steps apart the two were (a near miss
/// at one step, a distant pair at many). A case whose run shows a feature the hunt has not seen
/// reached a new order of conflicting accesses: <see cref="Search.CasePool"/> keeps it and mutates it.
/// An observer: it never reports, and is attached only by a hunt that steers.
/// </summary>
/// <remarks>
/// No feature depends on how a scenario numbers its CPUs or folios, on addresses or on the order the
/// process registered its kernel functions (sites are hashed from names), so the same cases give the
/// same features in every process. One instance serves every system of a hunt (a
/// <see cref="Search.SimulationCache"/> reloads one system per layout): it keeps one last-accessor
/// table per arena and tells the runs apart by a counter, so a reset costs nothing.
/// </remarks>
/// <param name="seen">The features the hunt has seen, shared by every system it runs.</param>
public sealed class AliasCoverage(FeatureSet seen) : Oracle
{
    /// <summary>The last access of one word: which run, CPU and site, and at which step.</summary>
    struct Last
    {
        public int Run;
        public int Cpu;
        public uint Site;
        public int Step;
    }

    /// <summary>An arena's per-word tables: the object kind and field of each word (0: not shared), and its last access.</summary>
    sealed class Tables(uint[] code, Last[] last)
    {
        public readonly uint[] Code = code;
        public readonly Last[] Last = last;
    }

    uint[] nameHash = new uint[64];
    readonly Dictionary<Arena, Tables> tables = new(ReferenceEqualityComparer.Instance);
    Arena? arena;
    Tables current = null!;
    nint arenaBase;
    int run;

    /// <summary>Features first seen in the current (or last) run.</summary>
    public int NewFeatures { get; private set; }

    /// <summary>Conflicting pairs seen in the current (or last) run, new or not.</summary>
    public int Pairs { get; private set; }

    /// <inheritdoc/>
    public override void Reset()
    {
        run++;
        NewFeatures = 0;
        Pairs = 0;
    }

    /// <inheritdoc/>
    public override void AfterAccess(Cpu cpu, in Access access, int step)
    {
        if (!ReferenceEquals(cpu.Machine.Arena, arena))
            Switch(cpu.Machine.Arena);
        int g = (int)((access.Addr - arenaBase) >> 3);
        if ((uint)g >= (uint)current.Code.Length || current.Code[g] == 0)
            return;
        bool write = access.Op != AccessOp.Load;
        uint site = Site(cpu) ^ (write ? 0x5bd1e995u : 0);
        ref var last = ref current.Last[g];
        if (last.Run == run && last.Cpu != cpu.Index && (IsWrite(last.Site) || write))
        {
            Pairs++;
            int distance = step - last.Step;
            uint gap = distance <= 1 ? 0u : distance <= 8 ? 1u : 2u;
            uint h = current.Code[g] * 0x9E3779B1u;
            h = (h ^ last.Site) * 0x85EBCA77u;
            h = (h ^ site) * 0xC2B2AE3Du;
            h ^= gap * 0x27D4EB2Fu;
            if (seen.Add(h ^ h >> 15))
                NewFeatures++;
        }
        last.Run = run;
        last.Cpu = cpu.Index;
        last.Site = site;
        last.Step = step;
    }

    static bool IsWrite(uint site) => (site & 1) != 0;

    /// <summary>
    /// The site of <paramref name="cpu"/>'s access: the operation it runs (its outermost function) and
    /// the innermost function, by their names' hashes; the low bit is set again for a write by the caller's xor.
    /// </summary>
    uint Site(Cpu cpu)
    {
        int depth = cpu.Depth;
        if (depth == 0)
            return 2;
        uint outer = NameHash(cpu.Frames[0].FnId - 1), inner = NameHash(cpu.Frames[depth - 1].FnId - 1);
        return (outer * 0x01000193u ^ inner * 0x9E3779B1u) & ~1u;
    }

    /// <summary>
    /// A stable hash of kernel function <paramref name="id"/>'s name (FNV-1a), cached per id in this
    /// instance (a worker's: no lock, and the same hash in every process whatever order it registered
    /// the functions in).
    /// </summary>
    uint NameHash(int id)
    {
        if ((uint)id < (uint)nameHash.Length && nameHash[id] != 0)
            return nameHash[id];
        if (id >= nameHash.Length)
            Array.Resize(ref nameHash, Math.Max(id + 1, nameHash.Length * 2));
        uint h = 2166136261;
        foreach (char c in KernelFunction.ById(id).Name)
            h = (h ^ c) * 16777619;
        return nameHash[id] = h | 2;
    }

    /// <summary>Takes the tables of <paramref name="a"/>, building them on its first run: per word, its object's kind and field (0 for a CPU's private frame and padding).</summary>
    void Switch(Arena a)
    {
        arena = a;
        arenaBase = a.Base;
        if (!tables.TryGetValue(a, out var t))
        {
            var code = new uint[a.Size / Arena.Granule];
            for (int g = 0; g < code.Length; g++)
            {
                var info = a.Classify(a.Base + g * Arena.Granule);
                if (info.Object < 0 || info.Field == FieldKind.None || a.Objects[info.Object].Kind == ObjectKind.CpuFrame)
                    continue;
                code[g] = 1 + (uint)a.Objects[info.Object].Kind * 64 + (uint)info.Field;
            }
            t = new Tables(code, new Last[code.Length]);
            tables.Add(a, t);
        }
        current = t;
    }
}
