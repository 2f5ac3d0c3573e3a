namespace MmFuzz.Kernel;

// Typed handles over arena addresses: what a kernel port holds in a local variable (`struct folio
// *folio`, `struct list_head *next`). They only compute addresses (container_of, &p->field); reading
// or writing through them is always a scheduling point of the machine (Kernel.cs).

/// <summary>The address of one field of type <typeparamref name="T"/> (<c>&amp;p-&gt;field</c>).</summary>
public readonly record struct Field<T>(nint Addr) where T : unmanaged;
