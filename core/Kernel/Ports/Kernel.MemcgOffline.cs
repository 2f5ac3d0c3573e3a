using MmFuzz.Engine;

namespace MmFuzz.Kernel;

// Removing a memcg (rmdir of its cgroup): cgroup core's kill_css(), then, after an RCU grace period,
// offline_css() -> the memory controller's mem_cgroup_css_offline(). The base port is v6.9, where
// offlining leaves the deferred split queue alone; the folio_batch series reparents it (KernelFolioBatch).
public abstract partial class Kernel
{
    /// <summary>
    /// The removal of <paramref name="memcg"/>, as the operation <c>memcg_offline()</c> runs it on one CPU:
    /// <c>kill_css()</c> (kernel/cgroup/cgroup.c, under <c>cgroup_mutex</c>), then
    /// <c>css_killed_work_fn()</c> → <c>offline_css()</c> → <c>mem_cgroup_css_offline()</c>. MODEL: in the
    /// kernel the second half runs later from a workqueue, after the percpu refcount's confirmation (an
    /// RCU grace period); here it follows on the same CPU, and the other CPUs' steps fall between. A
    /// memcg that is already dying is not offlined twice. <c>offline_css()</c>'s clearing of
    /// <c>CSS_ONLINE</c> is not modelled (nothing here reads it: the shrinker's
    /// <c>mem_cgroup_online()</c> test is in <c>shrink_slab_memcg()</c>, before any scan operation).
    /// </summary>
    public virtual async Sim mmfuzz_memcg_offline(MemcgPtr memcg)
    {
        using var _ = Cpu.Enter(Fn.memcg_offline, memcg.Addr);
        if (!await kill_css(memcg))
            return;
        await mem_cgroup_css_offline(memcg);
    }

    /// <summary>
    /// Port of the part of <c>kill_css()</c> (kernel/cgroup/cgroup.c; 33c35aa48178 added the test) that
    /// matters here: <c>if (css-&gt;flags &amp; CSS_DYING) return; css-&gt;flags |= CSS_DYING;</c> — a plain
    /// read-modify-write (the caller holds <c>cgroup_mutex</c>, which no reader of the flag takes).
    /// <c>css_killed()</c>, the percpu refcount's kill and the rest are STUBBED. Returns whether it killed.
    /// </summary>
    protected virtual async Sim<bool> kill_css(MemcgPtr memcg)
    {
        using var _ = Cpu.Enter(Fn.kill_css, memcg.Addr);
        uint flags = await Load(memcg.CssFlags);
        if ((flags & CssFlags.CSS_DYING) != 0)
            return false;
        await Store(memcg.CssFlags, flags | CssFlags.CSS_DYING);
        return true;
    }

    /// <summary>
    /// Port of <c>mem_cgroup_css_offline()</c> (mm/memcontrol.c, v6.9): the event list,
    /// <c>page_counter_set_min/low()</c>, <c>zswap_memcg_offline_cleanup()</c>, <c>memcg_offline_kmem()</c>,
    /// <c>reparent_shrinker_deferred()</c>, <c>wb_memcg_offline()</c>, <c>lru_gen_offline_memcg()</c>,
    /// <c>drain_all_stock()</c>, <c>mem_cgroup_id_put()</c> — none touches
    /// <c>memcg-&gt;deferred_split_queue</c>, which lives in the memcg and outlives its offlining while
    /// folios hold references to the css (it is freed with the memcg, by <c>mem_cgroup_free()</c>).
    /// STUBBED: all of it, so the base port does nothing here. The folio_batch series (patch 4/4) adds
    /// <c>reparent_deferred_split_queue()</c> after <c>memcg_offline_kmem()</c> (KernelFolioBatch).
    /// </summary>
    protected virtual Sim mem_cgroup_css_offline(MemcgPtr memcg) => default;
}
