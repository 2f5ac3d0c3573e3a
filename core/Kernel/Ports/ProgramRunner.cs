using MmFuzz.Engine;
using MmFuzz.Scenarios;

namespace MmFuzz.Kernel;

/// <summary>
/// Runs a scenario's CPU programs: each operation is the kernel entry point a caller of that path
/// would use (the shrinker's <c>deferred_split_scan()</c>, <c>folio_put()</c>, a
/// <c>release_pages()</c>-style batch, the rmap call of <c>deferred_split_folio()</c>, ...), called on
/// that CPU's <see cref="Kernel"/>.
/// </summary>
public sealed class ProgramRunner(World world)
{
    readonly FolioBatch[] batches = world.Scenario.Cpus
        .Select(_ => new FolioBatch(Math.Max(FolioBatch.PAGEVEC_SIZE, world.Scenario.Folios.Length))).ToArray();   // per CPU: the caller's on-stack folio_batch

    /// <summary>Runs <paramref name="program"/> on <paramref name="cpu"/> through <paramref name="kernel"/>.</summary>
    public async Sim Run(Cpu cpu, Kernel kernel, Op[] program)
    {
        for (int pc = 0; pc < program.Length; pc++)
        {
            cpu.Pc = pc;
            var op = program[pc];
            switch (op.Kind)
            {
                case OpKind.Scan:
                    await kernel.deferred_split_scan(world.Queue(op.Queue), op.NrToScan);
                    break;
                case OpKind.FolioPut:
                    await kernel.folio_put(world.Folio(op.Folios[0]));
                    break;
                case OpKind.FoliosPutRefs:
                {
                    var batch = batches[cpu.Index];
                    batch.reinit();
                    foreach (var f in op.Folios)
                        batch.add(world.Folio(f));
                    await kernel.folios_put_refs(batch, null);
                    break;
                }
                case OpKind.FolioGet:
                    await kernel.folio_get(world.Folio(op.Folios[0]));
                    break;
                case OpKind.FolioLock:
                    await kernel.folio_lock(world.Folio(op.Folios[0]));
                    break;
                case OpKind.FolioUnlock:
                    await kernel.folio_unlock(world.Folio(op.Folios[0]));
                    break;
                case OpKind.DeferredSplitFolio:
                    await kernel.mmfuzz_queue_for_deferred_split(world.Folio(op.Folios[0]), op.PartiallyMapped);
                    break;
                case OpKind.SplitFolio:
                    await kernel.mmfuzz_split_folio_other_path(world.Folio(op.Folios[0]));
                    break;
                case OpKind.MigrateFolio:
                    await kernel.mmfuzz_migrate_folio(world.Folio(op.Folios[0]), op.Folios.Length == 2 ? world.Folio(op.Folios[1]) : default);
                    break;
                case OpKind.Swapout:
                    await kernel.mmfuzz_swapout_folio(world.Folio(op.Folios[0]));
                    break;
                case OpKind.MoveCharge:
                {
                    // mc.to is the memcg the task moves to, mc.from the one it leaves: the other of the two.
                    bool toFirst = op.Queue == QueueId.Memcg1;
                    await kernel.mem_cgroup_move_charge_pte_range(world.Folio(op.Folios[0]), world.Memcg(toFirst ? 2 : 1), world.Memcg(toFirst ? 1 : 2));
                    break;
                }
                case OpKind.MemcgOffline:
                    await kernel.mmfuzz_memcg_offline(world.Memcg(op.Queue == QueueId.Memcg1 ? 1 : 2));
                    break;
                case OpKind.Unmap:
                    await kernel.mmfuzz_zap_folio_range(world.Folio(op.Folios[0]));
                    break;
                default:
                    throw new InvalidOperationException($"unknown operation {op.Kind}");
            }
        }
    }
}
