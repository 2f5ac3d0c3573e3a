using MmFuzz.Engine;
using MmFuzz.Memory;

namespace MmFuzz.Oracles;

/// <summary>
/// A KCSAN-like data-race detector for the simulated CPUs, exact for the explored schedule
/// (vector clocks, as in FastTrack: Flanagan and Freund, PLDI 2009, without the epoch compression).
/// <para>
/// Happens-before comes from what orders memory in the kernel: <c>spin_lock</c> acquires and
/// <c>spin_unlock</c> releases the lock word; a successful <c>test_and_set_bit_lock</c> acquires and
/// <c>clear_bit_unlock</c> releases (the folio lock); value-returning atomics
/// (<c>atomic_add_unless</c>, <c>atomic_add_return</c>, <c>atomic_cmpxchg</c>) are fully ordered, so
/// they both acquire and release their word; <c>atomic_set_release</c> releases. <c>atomic_read</c>,
/// <c>set_bit</c> and <c>clear_bit</c> order nothing.
/// </para>
/// <para>
/// A race, as KCSAN defines it: two accesses to the same 8-byte word by different CPUs, neither
/// happening before the other, at least one a write, and at least one plain. Accesses inside
/// <c>data_race()</c> are ignored entirely; <c>READ_ONCE</c>/<c>WRITE_ONCE</c> and atomics are marked, so
/// two marked accesses never race. Lock words are only touched by atomics.
/// </para>
/// <para>
/// This is KCSAN's strict mode (<c>CONFIG_KCSAN_STRICT</c>, so
/// <c>CONFIG_KCSAN_ASSUME_PLAIN_WRITES_ATOMIC=n</c>). The default configuration assumes aligned plain
/// writes up to word size atomic and so stays silent when the only plain accesses of a race are such
/// writes (a marked <c>list_empty()</c> peek against <c>__list_add()</c>'s plain stores, say); the
/// message says so for those races (<see cref="StrictOnlyNote"/>), so a reader knows which reports a
/// default KCSAN kernel would print.
/// </para>
/// </summary>
public sealed class DataRaceOracle : Oracle
{
    readonly int n;                  // CPUs
    readonly int granules;
    readonly nint arenaBase;
    readonly int[] vc;               // vc[c*n + d]: CPU c's knowledge of CPU d's clock
    readonly int[] syncClock;        // per granule, n entries: clock released into a lock word or atomic
    readonly WriteShadow[] writes;   // per granule: the last write, and whether the reset must clear it
    readonly ReadShadow[] reads;     // per granule, n entries: each CPU's last read
    readonly int[] dirty;            // the touched granules, so a reset clears only those
    int dirtyCount;
    (string Message, int Cpu)? pending;   // the first race of this execution, reported at its end unless another oracle fires

    /// <summary>Creates a detector for <paramref name="cpus"/> CPUs over <paramref name="arena"/>.</summary>
    public DataRaceOracle(int cpus, Arena arena)
    {
        n = cpus;
        arenaBase = arena.Base;
        granules = arena.Size / 8;
        vc = new int[n * n];
        syncClock = new int[granules * n];
        writes = new WriteShadow[granules];
        reads = new ReadShadow[granules * n];
        dirty = new int[granules];
        for (int g = 0; g < granules; g++)
            writes[g].Cpu = -1;
    }

    /// <summary>
    /// Forgets everything: every CPU at clock 1, no access seen. Only the granules the last execution
    /// touched are cleared (a few dozen of the arena's hundreds).
    /// </summary>
    public override void Reset()
    {
        pending = null;
        Array.Clear(vc);
        for (int c = 0; c < n; c++)
            vc[c * n + c] = 1;
        for (int i = 0; i < dirtyCount; i++)
        {
            int g = dirty[i];
            writes[g] = new WriteShadow { Cpu = -1 };
            for (int r = g * n; r < g * n + n; r++)
            {
                syncClock[r] = 0;
                reads[r].Clock = 0;
            }
        }
        dirtyCount = 0;
    }

    /// <summary>Records an access that has just been performed; the first race of the execution is kept for its end.</summary>
    public override void AfterAccess(Cpu cpu, in Access access, int step)
    {
        bool acquired = access.Op != AccessOp.TestSetBitLock || cpu.Result == 0;
        var race = OnAccess(cpu, access, step, acquired);
        if (race is not null && pending is null)
            pending = (race, cpu.Number);
    }

    /// <summary>A race is reported when the execution ends without another report, so a more specific oracle wins.</summary>
    public override bool AtEnd()
    {
        if (pending is not { } race)
            return true;
        Machine.Report(BugKind.DataRace, race.Message, race.Cpu);
        return false;
    }

    /// <summary>
    /// Records an access that has just been performed by <paramref name="cpu"/> at step
    /// <paramref name="step"/>; <paramref name="acquired"/> says whether a lock operation took the lock.
    /// Returns the race message, or null.
    /// </summary>
    string? OnAccess(Cpu cpu, in Access a, int step, bool acquired)
    {
        if (a.Marking == Marking.DataRace)
            return null;
        int g = (int)((a.Addr - arenaBase) >> 3);
        if ((uint)g >= (uint)granules)
            return null;
        int c = cpu.Index;
        int row = c * n;
        bool plain = a.Marking == Marking.Plain;
        bool write = a.Writes;
        string? race = null;

        // The last write, by another CPU, not ordered before this access.
        ref var w = ref writes[g];
        int wc = w.Cpu;
        if (wc >= 0 && wc != c && w.Clock > vc[row + wc] && (plain || w.Plain))
            race = Describe(cpu, a, step, otherWrites: true, w.Step, wc, w.Fn, w.Plain);
        // For a write: every other CPU's last read not ordered before it.
        if (race is null && write)
            for (int d = 0; d < n; d++)
            {
                ref var rd = ref reads[g * n + d];
                if (d != c && rd.Clock > vc[row + d] && (plain || rd.Plain))
                {
                    race = Describe(cpu, a, step, otherWrites: false, rd.Step, d, rd.Fn, rd.Plain);
                    break;
                }
            }

        if (!w.Touched)
        {
            w.Touched = true;
            dirty[dirtyCount++] = g;
        }
        int now = vc[row + c];
        if (write)
        {
            w.Cpu = (sbyte)c;
            w.Clock = now;
            w.Plain = plain;
            w.Step = step;
            w.Fn = FnOf(cpu);
        }
        else
        {
            ref var rd = ref reads[g * n + c];
            rd.Clock = now;
            rd.Plain = plain;
            rd.Step = step;
            rd.Fn = FnOf(cpu);
        }

        switch (a.Op)
        {
            case AccessOp.SpinLock:
                Acquire(row, g);
                break;
            case AccessOp.TestSetBitLock:
                if (acquired)
                    Acquire(row, g);
                break;
            case AccessOp.SpinUnlock:
            case AccessOp.ClearBitUnlock:
                Release(row, g, c);
                break;
            case AccessOp.AddUnless:
            case AccessOp.AddReturn:
            case AccessOp.Cmpxchg:
                Acquire(row, g);
                Release(row, g, c);
                break;
            case AccessOp.Store when a.Marking == Marking.Atomic:
                Release(row, g, c);
                break;
        }
        return race;
    }

    static short FnOf(Cpu cpu) => (short)(cpu.Depth == 0 ? 0 : cpu.Frames[cpu.Depth - 1].FnId);

    void Acquire(int row, int g)
    {
        int s = g * n;
        for (int d = 0; d < n; d++)
            if (syncClock[s + d] > vc[row + d])
                vc[row + d] = syncClock[s + d];
    }

    void Release(int row, int g, int c)
    {
        int s = g * n;
        for (int d = 0; d < n; d++)
            if (vc[row + d] > syncClock[s + d])
                syncClock[s + d] = vc[row + d];
        vc[row + c]++;
    }

    string Describe(Cpu cpu, in Access a, int step, bool otherWrites, int otherStep, int otherCpu,
        short otherFnId, bool otherPlain)
    {
        string otherKind = otherWrites ? "write" : "read";
        string mine = a.Writes ? "write" : "read";
        bool minePlain = a.Marking == Marking.Plain;
        string fn = cpu.Innermost?.Name ?? "?";
        string other = otherFnId == 0 ? "?" : KernelFunction.ById(otherFnId - 1).Name;
        // Default KCSAN treats an aligned plain word write as atomic: it reports only races with a plain read.
        bool plainRead = (otherPlain && !otherWrites) || (minePlain && !a.Writes);
        return $"BUG: KCSAN: data-race in {other} / {fn}: {otherKind}{(otherPlain ? "" : " (marked)")} to {Machine.Symbol(a.Addr)} of 8 bytes " +
               $"by cpu{otherCpu + 1} at step {otherStep + 1}, {mine}{(minePlain ? "" : " (marked)")} by cpu{cpu.Number} at step {step + 1}" +
               (plainRead ? "" : StrictOnlyNote);
    }

    /// <summary>
    /// Ends the message of a race whose only plain accesses are writes: KCSAN reports it in strict mode
    /// only, since by default (<c>CONFIG_KCSAN_ASSUME_PLAIN_WRITES_ATOMIC=y</c>) it assumes aligned plain
    /// word writes atomic.
    /// </summary>
    public const string StrictOnlyNote = " (KCSAN_STRICT only: the default config assumes aligned plain word writes atomic)";
}
