using MmFuzz.C;
using MmFuzz.C.Ast;
using MmFuzz.C.Clang;
using MmFuzz.Kernel;
using NUnit.Framework;

namespace MmFuzz.Tests.C;

/// <summary>
/// The front end's headers (core/C/include/mmfuzz/types.h) lay the kernel's structs out exactly as
/// the arena does (core/Kernel's structs and <see cref="Offsets"/>): C that reads
/// <c>folio-&gt;_deferred_list</c> must read the word the ports and the oracles read.
/// </summary>
[TestFixture, Category("quick")]
public class CHeaderLayoutTests
{
    static CRecord Record(ClangUnit unit, string global) => unit.TypeOfGlobal(global)!.Element!.Record!;

    static long Offset(CRecord r, string field) => r.Fields.Single(f => f.Name == field).OffsetBits / 8;

    [Test]
    public void TheHeadersStructsHaveTheArenasLayout()
    {
        using var unit = ClangUnit.Parse("layout.c",
            "struct folio *f; struct deferred_split *q; struct mem_cgroup *m; struct pglist_data *n; struct list_head *l; struct folio_batch *b;\n", []);
        Assert.That(unit.Diagnostics.Where(d => d.IsError), Is.Empty);
        var folio = Record(unit, "f");
        Assert.Multiple(() =>
        {
            Assert.That(folio.Size, Is.EqualTo(System.Runtime.InteropServices.Marshal.SizeOf<folio>()), "sizeof(struct folio)");
            Assert.That(Offset(folio, "_refcount"), Is.EqualTo(Offsets.FolioRefcount));
            Assert.That(Offset(folio, "memcg_data"), Is.EqualTo(Offsets.FolioMemcgData));
            Assert.That(Offset(folio, "_mmfuzz_nid_order"), Is.EqualTo(Offsets.FolioNid));
            Assert.That(Offset(folio, "_deferred_list"), Is.EqualTo(Offsets.FolioDeferredList));
            Assert.That(Offset(folio, "_mmfuzz_flags_1"), Is.EqualTo(Offsets.FolioPartiallyMapped));
            Assert.That(Offset(folio, "_mmfuzz_mapcount"), Is.EqualTo(Offsets.FolioMapcount));
            Assert.That(unit.OffsetOf("f", "flags"), Is.EqualTo(Offsets.FolioFlags), "folio->flags, in the union with folio->page");

            var queue = Record(unit, "q");
            Assert.That(queue.Size, Is.EqualTo(System.Runtime.InteropServices.Marshal.SizeOf<deferred_split>()), "sizeof(struct deferred_split)");
            Assert.That(Offset(queue, "split_queue_lock"), Is.EqualTo(0));
            Assert.That(Offset(queue, "split_queue"), Is.EqualTo(Offsets.QueueList));
            Assert.That(Offset(queue, "split_queue_len"), Is.EqualTo(Offsets.QueueLen));

            var memcg = Record(unit, "m");
            Assert.That(memcg.Size, Is.EqualTo(System.Runtime.InteropServices.Marshal.SizeOf<mem_cgroup>()), "sizeof(struct mem_cgroup)");
            Assert.That(Offset(memcg, "deferred_split_queue"), Is.EqualTo(Offsets.OwnerQueue));
            Assert.That(Offset(memcg, "css"), Is.EqualTo(Offsets.MemcgCssFlags), "memcg->css.flags");

            var node = Record(unit, "n");
            Assert.That(node.Size, Is.EqualTo(System.Runtime.InteropServices.Marshal.SizeOf<pglist_data>()), "sizeof(struct pglist_data)");
            Assert.That(Offset(node, "deferred_split_queue"), Is.EqualTo(Offsets.OwnerQueue));

            var list = Record(unit, "l");
            Assert.That(Offset(list, "prev"), Is.EqualTo(Offsets.ListPrev));

            var batch = Record(unit, "b");
            Assert.That(batch.Private, Is.True, "struct folio_batch is the CPU's own (__mmfuzz_private)");
            Assert.That(Offset(batch, "folios"), Is.EqualTo(Kernel.Kernel.FolioBatchFolios));
            Assert.That(batch.Fields.Single(f => f.Name == "folios").Type.Length, Is.EqualTo(FolioBatch.PAGEVEC_SIZE), "PAGEVEC_SIZE");
        });
    }
}
