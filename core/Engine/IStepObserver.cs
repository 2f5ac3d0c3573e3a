using MmFuzz.Memory;

namespace MmFuzz.Engine;

/// <summary>Sees every step of an execution (the trace recorder).</summary>
public interface IStepObserver
{
    /// <summary>Before <paramref name="cpu"/> performs its announced access at <paramref name="step"/>.</summary>
    void BeforeStep(Machine machine, Cpu cpu, int step);

    /// <summary>After the access (also after a failed lock attempt or a fault).</summary>
    void AfterStep(Machine machine, Cpu cpu, int step);
}
