using MmFuzz.Engine;

namespace MmFuzz.Kernel;

/// <summary>
/// A kernel state the model reproduces: its name, the kernel state and commit it stands for, and the
/// <see cref="Kernel"/> subclass that holds the functions that differ in it and declares its
/// <see cref="KernelTraits"/>. What history says about it is its row in <see cref="History"/>.
/// </summary>
public sealed record Variant
{
    readonly Func<World, Cpu, Kernel> factory;

    Variant(string name, string kernelState, Type kernelType, Func<World, Cpu, Kernel> factory)
    {
        Name = name;
        KernelState = kernelState;
        KernelType = kernelType;
        Traits = KernelTraits.Of(kernelType);
        this.factory = factory;
    }

    /// <summary>
    /// The variant whose ports are <typeparamref name="TKernel"/>'s, created by <paramref name="factory"/>;
    /// its traits are the ones <typeparamref name="TKernel"/> declares or inherits.
    /// </summary>
    /// <param name="name">Name on the command line (<c>v6.9</c>, <c>mm-2024-03</c>).</param>
    /// <param name="kernelState">The kernel state and commit it reproduces.</param>
    /// <param name="factory">Creates the ports for one CPU.</param>
    public static Variant Of<TKernel>(string name, string kernelState, Func<World, Cpu, TKernel> factory) where TKernel : Kernel =>
        new(name, kernelState, typeof(TKernel), factory);

    /// <summary>
    /// The variant whose ports are those of <paramref name="kernelType"/>, a class made at run time
    /// (the C front end compiles one per C input over a base state's class); its traits are the ones
    /// <paramref name="kernelType"/> inherits.
    /// </summary>
    public static Variant Of(Type kernelType, string name, string kernelState, Func<World, Cpu, Kernel> factory)
    {
        if (!typeof(Kernel).IsAssignableFrom(kernelType))
            throw new ArgumentException($"{kernelType} is not a Kernel", nameof(kernelType));
        return new(name, kernelState, kernelType, factory);
    }

    /// <summary>
    /// Bytes of private frame each CPU needs for the locals of a kernel state loaded from C
    /// (<see cref="World.CpuFrame"/>); 0 for the hand ports.
    /// </summary>
    public int FrameBytes { get; init; }

    /// <summary>
    /// The state this one was read over (a C form's <c>--base</c>), whose row of <see cref="History"/>
    /// says which kinds a fix names in it (<see cref="History.IsBeyondHistory"/>); null for the hand ports.
    /// </summary>
    public Variant? Base { get; init; }

    /// <summary>Name on the command line (<c>v6.9</c>, <c>mm-2024-03</c>).</summary>
    public string Name { get; }

    /// <summary>The kernel state and commit it reproduces.</summary>
    public string KernelState { get; }

    /// <summary>The <see cref="Kernel"/> subclass whose ports run.</summary>
    public Type KernelType { get; }

    /// <summary>What the oracles must know about this state, as <see cref="KernelType"/> declares it.</summary>
    public KernelTraits Traits { get; }

    /// <summary>The ports bound to one CPU.</summary>
    public Kernel Create(World world, Cpu cpu) => factory(world, cpu);
}
