using MmFuzz.Engine;

namespace MmFuzz.Kernel;

// PORTED: include/linux/list.h and lib/list_debug.c (CONFIG_DEBUG_LIST=y, v6.9). Every load and
// store is its own scheduling point, in the kernel's order. A failed DEBUG_LIST check reports a
// list-corruption bug with the kernel's message and stops the CPU (CONFIG_BUG_ON_DATA_CORRUPTION).
// The hooks after a list changes (Kernel.TestHooks.cs) feed the oracles' shadow, not kernel state.
public abstract partial class Kernel
{
    /// <summary>
    /// Port of <c>INIT_LIST_HEAD()</c> (include/linux/list.h, v6.9):
    /// <c>WRITE_ONCE(list-&gt;next, list); WRITE_ONCE(list-&gt;prev, list);</c> — next first, then prev.
    /// </summary>
    protected virtual async Sim INIT_LIST_HEAD(ListPtr list)
    {
        using var _ = Cpu.Enter(Fn.INIT_LIST_HEAD, list.Addr);
        await WriteOnce(list.Next, list);
        await WriteOnce(list.Prev, list);
    }

    /// <summary>Port of <c>list_empty()</c> (include/linux/list.h, v6.9): <c>READ_ONCE(head-&gt;next) == head</c>.</summary>
    protected virtual async Sim<bool> list_empty(ListPtr head)
    {
        using var _ = Cpu.Enter(Fn.list_empty, head.Addr);
        return await ReadOnce(head.Next) == head;
    }

    /// <summary>
    /// <c>data_race(list_empty(head))</c>: the same read, marked as an intentional race (exempt from
    /// the data-race detector).
    /// </summary>
    protected virtual async Sim<bool> mmfuzz_list_empty_data_race(ListPtr head)
    {
        using var _ = Cpu.Enter(Fn.list_empty, head.Addr);
        return await DataRaceLoad(head.Next) == head;
    }

    /// <summary>
    /// Port of <c>__list_add_valid_or_report()</c> (lib/list_debug.c, v6.9): the checks in the
    /// kernel's order, first failure wins.
    /// </summary>
    protected virtual async Sim<bool> __list_add_valid(ListPtr @new, ListPtr prev, ListPtr next)
    {
        using var _ = Cpu.Enter(Fn.__list_add_valid, @new.Addr);
        if (prev == ListPtr.Null)
        {
            await Bug(BugKind.ListCorruption, "list_add corruption. prev is NULL.");
            return false;
        }
        if (next == ListPtr.Null)
        {
            await Bug(BugKind.ListCorruption, "list_add corruption. next is NULL.");
            return false;
        }
        var nextPrev = await Load(next.Prev);
        if (nextPrev != prev)
        {
            await Bug(BugKind.ListCorruption,
                $"list_add corruption. next->prev should be prev ({Px(prev)}), but was {Px(nextPrev)}. (next={Px(next)}).");
            return false;
        }
        var prevNext = await Load(prev.Next);
        if (prevNext != next)
        {
            await Bug(BugKind.ListCorruption,
                $"list_add corruption. prev->next should be next ({Px(next)}), but was {Px(prevNext)}. (prev={Px(prev)}).");
            return false;
        }
        if (@new == prev || @new == next)
        {
            await Bug(BugKind.ListCorruption, $"list_add double add: new={Px(@new)}, prev={Px(prev)}, next={Px(next)}.");
            return false;
        }
        return true;
    }

    /// <summary>
    /// Port of <c>__list_del_entry_valid_or_report()</c> (lib/list_debug.c, v6.9): reads
    /// <c>entry-&gt;prev</c>, <c>entry-&gt;next</c>, then checks NULL, poison and both neighbours' links.
    /// </summary>
    protected virtual async Sim<bool> __list_del_entry_valid(ListPtr entry)
    {
        using var _ = Cpu.Enter(Fn.__list_del_entry_valid, entry.Addr);
        var prev = await Load(entry.Prev);
        var next = await Load(entry.Next);
        if (next == ListPtr.Null)
        {
            await Bug(BugKind.ListCorruption, $"list_del corruption, {Px(entry)}->next is NULL");
            return false;
        }
        if (prev == ListPtr.Null)
        {
            await Bug(BugKind.ListCorruption, $"list_del corruption, {Px(entry)}->prev is NULL");
            return false;
        }
        if (next == Poison.LIST_POISON1)
        {
            await Bug(BugKind.ListCorruption, $"list_del corruption, {Px(entry)}->next is LIST_POISON1 ({Px(Poison.LIST_POISON1)})");
            return false;
        }
        if (prev == Poison.LIST_POISON2)
        {
            await Bug(BugKind.ListCorruption, $"list_del corruption, {Px(entry)}->prev is LIST_POISON2 ({Px(Poison.LIST_POISON2)})");
            return false;
        }
        var prevNext = await Load(prev.Next);
        if (prevNext != entry)
        {
            await Bug(BugKind.ListCorruption,
                $"list_del corruption. prev->next should be {Px(entry)}, but was {Px(prevNext)}. (prev={Px(prev)})");
            return false;
        }
        var nextPrev = await Load(next.Prev);
        if (nextPrev != entry)
        {
            await Bug(BugKind.ListCorruption,
                $"list_del corruption. next->prev should be {Px(entry)}, but was {Px(nextPrev)}. (next={Px(next)})");
            return false;
        }
        return true;
    }

    /// <summary>
    /// Port of <c>__list_add()</c> (include/linux/list.h, v6.9):
    /// <c>next-&gt;prev = new; new-&gt;next = next; new-&gt;prev = prev; WRITE_ONCE(prev-&gt;next, new);</c>
    /// </summary>
    protected virtual async Sim __list_add(ListPtr @new, ListPtr prev, ListPtr next)
    {
        using var _ = Cpu.Enter(Fn.__list_add, @new.Addr);
        if (!await __list_add_valid(@new, prev, next))
            return;
        await Store(next.Prev, @new);
        await Store(@new.Next, next);
        await Store(@new.Prev, prev);
        await WriteOnce(prev.Next, @new);
    }

    /// <summary>Port of <c>list_add()</c> (include/linux/list.h, v6.9): <c>__list_add(new, head, head-&gt;next)</c>.</summary>
    protected virtual async Sim list_add(ListPtr @new, ListPtr head)
    {
        using var _ = Cpu.Enter(Fn.list_add, @new.Addr, head.Addr);
        await __list_add(@new, head, await Load(head.Next));
        hook_list_linked(@new, head);
    }

    /// <summary>Port of <c>list_add_tail()</c> (include/linux/list.h, v6.9): <c>__list_add(new, head-&gt;prev, head)</c>.</summary>
    protected virtual async Sim list_add_tail(ListPtr @new, ListPtr head)
    {
        using var _ = Cpu.Enter(Fn.list_add_tail, @new.Addr, head.Addr);
        await __list_add(@new, await Load(head.Prev), head);
        hook_list_linked(@new, head);
    }

    /// <summary>Port of <c>__list_del()</c> (include/linux/list.h, v6.9): <c>next-&gt;prev = prev; WRITE_ONCE(prev-&gt;next, next);</c></summary>
    protected virtual async Sim __list_del(ListPtr prev, ListPtr next)
    {
        using var _ = Cpu.Enter(Fn.__list_del, prev.Addr, next.Addr);
        await Store(next.Prev, prev);
        await WriteOnce(prev.Next, next);
    }

    /// <summary>
    /// Port of <c>__list_del_entry()</c> (include/linux/list.h, v6.9):
    /// <c>if (!__list_del_entry_valid(entry)) return false; __list_del(entry-&gt;prev, entry-&gt;next);</c>
    /// (the pointers are read again after the out-of-line check). Returns whether it unlinked.
    /// </summary>
    protected virtual async Sim<bool> __list_del_entry(ListPtr entry)
    {
        using var _ = Cpu.Enter(Fn.__list_del_entry, entry.Addr);
        if (!await __list_del_entry_valid(entry))
            return false;
        var prev = await Load(entry.Prev);
        var next = await Load(entry.Next);
        await __list_del(prev, next);
        hook_list_unlinked(entry);
        return true;
    }

    /// <summary>
    /// Port of <c>list_del()</c> (include/linux/list.h, v6.9): unlinks and poisons,
    /// <c>entry-&gt;next = LIST_POISON1; entry-&gt;prev = LIST_POISON2;</c>
    /// </summary>
    protected virtual async Sim list_del(ListPtr entry)
    {
        using var _ = Cpu.Enter(Fn.list_del, entry.Addr);
        await __list_del_entry(entry);
        await Store(entry.Next, Poison.LIST_POISON1);
        await Store(entry.Prev, Poison.LIST_POISON2);
    }

    /// <summary>Port of <c>list_del_init()</c> (include/linux/list.h, v6.9): <c>__list_del_entry(entry); INIT_LIST_HEAD(entry);</c></summary>
    protected virtual async Sim list_del_init(ListPtr entry)
    {
        using var _ = Cpu.Enter(Fn.list_del_init, entry.Addr);
        await __list_del_entry(entry);
        await INIT_LIST_HEAD(entry);
    }

    /// <summary>Port of <c>list_move()</c> (include/linux/list.h, v6.9): <c>__list_del_entry(list); list_add(list, head);</c> (to the front).</summary>
    protected virtual async Sim list_move(ListPtr list, ListPtr head)
    {
        using var _ = Cpu.Enter(Fn.list_move, list.Addr, head.Addr);
        await __list_del_entry(list);
        await list_add(list, head);
    }

    /// <summary>Port of <c>list_move_tail()</c> (include/linux/list.h, v6.9): <c>__list_del_entry(list); list_add_tail(list, head);</c></summary>
    protected virtual async Sim list_move_tail(ListPtr list, ListPtr head)
    {
        using var _ = Cpu.Enter(Fn.list_move_tail, list.Addr, head.Addr);
        await __list_del_entry(list);
        await list_add_tail(list, head);
    }

    /// <summary>
    /// Port of <c>list_splice_tail()</c> and <c>__list_splice()</c> (include/linux/list.h, v6.9):
    /// <c>if (!list_empty(list)) { first = list-&gt;next; last = list-&gt;prev; first-&gt;prev = prev;
    /// prev-&gt;next = first; last-&gt;next = next; next-&gt;prev = last; }</c> with prev = head-&gt;prev, next = head.
    /// The source head is not reinitialised. No DEBUG_LIST check.
    /// </summary>
    protected virtual async Sim list_splice_tail(ListPtr list, ListPtr head)
    {
        using var _ = Cpu.Enter(Fn.list_splice_tail, list.Addr, head.Addr);
        if (await list_empty(list))
            return;
        await __list_splice(list, await Load(head.Prev), head);
    }

    /// <summary>
    /// Port of <c>list_splice_tail_init()</c> (include/linux/list.h): <c>if (!list_empty(list)) {
    /// __list_splice(list, head-&gt;prev, head); INIT_LIST_HEAD(list); }</c>. No DEBUG_LIST check.
    /// </summary>
    protected virtual async Sim list_splice_tail_init(ListPtr list, ListPtr head)
    {
        using var _ = Cpu.Enter(Fn.list_splice_tail_init, list.Addr, head.Addr);
        if (await list_empty(list))
            return;
        await __list_splice(list, await Load(head.Prev), head);
        await INIT_LIST_HEAD(list);
    }

    /// <summary>
    /// <c>__list_splice(list, prev, next)</c>: <c>first = list-&gt;next; last = list-&gt;prev; first-&gt;prev = prev;
    /// prev-&gt;next = first; last-&gt;next = next; next-&gt;prev = last;</c> (the source head is left as it was).
    /// </summary>
    async Sim __list_splice(ListPtr list, ListPtr prev, ListPtr next)
    {
        var first = await Load(list.Next);
        var last = await Load(list.Prev);
        await Store(first.Prev, prev);
        await Store(prev.Next, first);
        await Store(last.Next, next);
        await Store(next.Prev, last);
        hook_list_spliced(list, next);
    }

    /// <summary><c>list_first_entry(head, struct folio, _deferred_list)</c>: reads <c>head-&gt;next</c>.</summary>
    protected virtual async Sim<FolioPtr> list_first_entry(ListPtr head)
    {
        using var _ = Cpu.Enter(Fn.list_first_entry, head.Addr);
        return FolioPtr.FromDeferredList(await Load(head.Next));
    }

    /// <summary>
    /// <c>list_next_entry(pos, _deferred_list)</c>: reads <c>pos-&gt;_deferred_list.next</c>. When
    /// <c>pos</c> is this CPU's on-stack <c>LIST_HEAD(list)</c>, the read is the last increment of
    /// loop 2's <c>list_for_each_entry_safe()</c>, whose value is dead once the loop ends: a compiler
    /// drops it, so KCSAN never sees it. The model keeps the step (recorded schedules replay unchanged)
    /// but marks it like <c>data_race()</c>, so the race detector does not report it.
    /// </summary>
    protected virtual async Sim<FolioPtr> list_next_entry(FolioPtr pos)
    {
        using var _ = Cpu.Enter(Fn.list_next_entry, pos.DeferredList.Addr);
        bool deadRead = pos.DeferredList.Addr == World.StackList(Cpu.Index).Addr;
        return FolioPtr.FromDeferredList(deadRead ? await DataRaceLoad(pos.DeferredList.Next) : await Load(pos.DeferredList.Next));
    }
}
