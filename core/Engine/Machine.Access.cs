using MmFuzz.Memory;

namespace MmFuzz.Engine;

public sealed partial class Machine
{
    /// <summary>
    /// Performs <paramref name="cpu"/>'s announced access. Returns true when the CPU may resume;
    /// false when its lock attempt failed (it now spins) or an oracle stopped the execution.
    /// </summary>
    bool Execute(Cpu cpu)
    {
        ref readonly var a = ref cpu.Pending;
        var info = Arena.Classify(a.Addr);
        if (Footprint is { } footprint)
        {
            footprint.Touch(Locations.Word(a.Addr), a.Writes);
            if (info.Object >= 0)
                footprint.Touch(Locations.Liveness(info.Object), false);
        }
        if (!info.Live || info.Object < 0)
        {
            foreach (var o in badAccess)
                if (outcome is null)
                    o.OnBadAccess(cpu, a, info);
            if (outcome is null)
                throw new InvalidOperationException($"CPU {cpu.Number}: {Access.Name(a.Op)} of {host.Symbol(a.Addr)} hits no live object and no oracle reported it");
            return false;
        }
        foreach (var o in beforeWrite[(int)a.Op])
            if (!o.BeforeWrite(cpu, a, info))
                return false;
        if (!Perform(cpu, a))
            return false;
        foreach (var o in afterAccess)
            o.AfterAccess(cpu, a, steps - 1);
        return true;
    }

    /// <summary>Performs a validated access; false when a lock attempt failed (the CPU now spins).</summary>
    bool Perform(Cpu cpu, in Access a)
    {
        var arena = Arena;
        int w = a.Width;
        switch (a.Op)
        {
            case AccessOp.Load:
                cpu.Result = arena.Read(a.Addr, w);
                return true;
            case AccessOp.Store:
                arena.Write(a.Addr, w, a.A);
                return true;
            case AccessOp.AddUnless:
            {
                ulong old = arena.Read(a.Addr, w);
                if (old != a.B)
                    arena.Write(a.Addr, w, old + a.A);
                cpu.Result = old;
                return true;
            }
            case AccessOp.AddReturn:
            {
                ulong v = arena.Read(a.Addr, w) + a.A;
                arena.Write(a.Addr, w, v);
                cpu.Result = v;
                return true;
            }
            case AccessOp.Cmpxchg:
            {
                ulong old = arena.Read(a.Addr, w);
                if (old == a.A)
                    arena.Write(a.Addr, w, a.B);
                cpu.Result = old;
                return true;
            }
            case AccessOp.SpinLock:
            {
                if (arena.Read(a.Addr, w) != 0)
                {
                    cpu.State = CpuState.Spinning;
                    cpu.BlockedOn = a.Addr;
                    return false;
                }
                arena.Write(a.Addr, w, (ulong)(cpu.Index + 1));
                cpu.Acquired(a.Addr);
                cpu.Result = 1;
                return true;
            }
            case AccessOp.SpinUnlock:
            {
                cpu.Released(a.Addr);       // the lock-misuse oracle has checked that this CPU holds it
                arena.Write(a.Addr, w, 0);
                Wake(a.Addr);
                return true;
            }
            case AccessOp.TestSetBitLock:
            {
                ulong old = arena.Read(a.Addr, w);
                ulong bit = 1UL << (int)a.A;
                if ((old & bit) != 0)
                {
                    if (a.Blocking)
                    {
                        cpu.State = CpuState.Spinning;
                        cpu.BlockedOn = a.Addr;
                        return false;
                    }
                    cpu.Result = 1;
                    return true;
                }
                arena.Write(a.Addr, w, old | bit);
                cpu.Result = 0;
                return true;
            }
            case AccessOp.ClearBitUnlock:
            case AccessOp.ClearBit:
            {
                ulong old = arena.Read(a.Addr, w);
                arena.Write(a.Addr, w, old & ~(1UL << (int)a.A));
                cpu.Result = old;
                if (a.Op == AccessOp.ClearBitUnlock)
                    Wake(a.Addr);
                return true;
            }
            case AccessOp.SetBit:
            {
                ulong old = arena.Read(a.Addr, w);
                arena.Write(a.Addr, w, old | (1UL << (int)a.A));
                cpu.Result = old;
                return true;
            }
            default:
                throw new InvalidOperationException($"unknown access {a.Op}");
        }
    }

    void Wake(nint addr)
    {
        foreach (var c in cpus)
            if (c.State == CpuState.Spinning && c.BlockedOn == addr)
            {
                c.State = CpuState.Runnable;
                c.BlockedOn = 0;
            }
    }
}
