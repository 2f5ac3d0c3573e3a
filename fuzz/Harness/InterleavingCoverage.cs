using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.InteropServices;
using MmFuzz.Engine;
using MmFuzz.Kernel;
using MmFuzz.Search;

namespace MmFuzz.Cli.Harness;

/// <summary>
/// Interleaving coverage for the fuzzers, in the spirit of KRACE's alias coverage (Xu et al., S&amp;P 2020):
/// each time a CPU accesses a memory word that another CPU accessed last, and one of the two accesses
/// writes, the ordered pair (field, last accessor's function and operation → this accessor's function
/// and operation) becomes a feature, hashed into SharpFuzz's 64 KiB coverage map next to the branch
/// edges of the core. A fuzzer is then rewarded for new orders of conflicting accesses, not only for
/// new branches.
/// </summary>
/// <remarks>
/// Runs as <see cref="Machine.Observer"/> of the harness's worlds only, so the default path of the
/// suite pays nothing. The map is SharpFuzz's <c>SharpFuzz.Common.Trace.SharedMem</c>, a static
/// <c>byte*</c> in SharpFuzz.Common that the instrumented core (MmFuzz.Core) writes its edges through and
/// the fuzzer's entry point sets; it is read once per run through a tiny dynamic method and written
/// with <see cref="Marshal"/>, so no unsafe code is needed here. Without an instrumented core (tests,
/// replays) there is no map and the observer is not attached.
/// </remarks>
public sealed class InterleavingCoverage : IStepObserver
{
    const int MapSize = 1 << 16;

    readonly Dictionary<long, int> last = new();   // word → packed (cpu, function, op)
    World? world;
    nint map;

    /// <summary>Features added to the map since start (for the bench).</summary>
    public long Features { get; private set; }

    /// <summary>Whether SharpFuzz's map exists in this process (an instrumented core, under a fuzzer).</summary>
    public static bool MapAvailable => SharpFuzzMap.Current != 0;

    /// <summary>Prepares for a run of <paramref name="w"/>; false when there is no map to feed.</summary>
    public bool Attach(Simulation w)
    {
        map = SharpFuzzMap.Current;
        if (map == 0)
            return false;
        world = w.World;
        last.Clear();
        return true;
    }

    /// <inheritdoc/>
    public void BeforeStep(Machine machine, Cpu cpu, int step)
    {
        ref readonly var a = ref cpu.PendingAccess;
        var info = world!.Arena.Classify(a.Addr);
        if (info.Object < 0)
            return;
        long word = Locations.Word(a.Addr);
        int fn = cpu.Innermost?.Id ?? 0;
        bool write = a.Op != AccessOp.Load;
        int me = cpu.Index | (int)a.Op << 4 | (write ? 1 << 8 : 0) | fn << 9;
        if (last.TryGetValue(word, out int prev) && (prev & 15) != cpu.Index && ((prev >> 8 & 1) != 0 || write))
        {
            // The pair, without CPU numbers: which code of which CPU touched the field first does not
            // depend on how the scenario numbered the CPUs.
            var kind = world.Arena.Objects[info.Object].Kind;
            uint h = (uint)kind * 0x9E3779B1u ^ (uint)info.Field * 0x85EBCA77u;
            h = (h ^ (uint)(prev >> 4)) * 0xC2B2AE3Du;
            h = (h ^ (uint)(me >> 4)) * 0x27D4EB2Fu;
            int idx = (int)((h ^ h >> 16) & (MapSize - 1));
            byte b = Marshal.ReadByte(map, idx);
            Marshal.WriteByte(map, idx, (byte)(b + 1));
            Features++;
        }
        last[word] = me;
    }

    /// <inheritdoc/>
    public void AfterStep(Machine machine, Cpu cpu, int step) { }
}
