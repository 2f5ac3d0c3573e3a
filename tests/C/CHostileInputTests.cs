using MmFuzz.C;
using MmFuzz.Kernel;
using NUnit.Framework;

namespace MmFuzz.Tests.C;

/// <summary>
/// C the front end cannot run gives one line that says where and why (file:line:col where there is a
/// place), never an exception of another type: a syntax error, an unknown call or name, a construct
/// the engine does not run, recursion, an empty, binary or huge file, a missing tree. The command
/// line prints the line and exits 2 (tests/C/CCommandLineTests.cs).
/// </summary>
[TestFixture, Category("quick")]
public class CHostileInputTests
{
    /// <summary>A scan skeleton the cases vary: valid as it is.</summary>
    const string Scan = """
        static unsigned long deferred_split_scan(struct shrinker *shrink, struct shrink_control *sc)
        {
            struct deferred_split *ds_queue = &NODE_DATA(sc->nid)->deferred_split_queue;
            unsigned long flags;
            spin_lock_irqsave(&ds_queue->split_queue_lock, flags);
            BODY
            spin_unlock_irqrestore(&ds_queue->split_queue_lock, flags);
            return 0;
        }
        """;

    static string WithBody(string body) => Scan.Replace("BODY", body);

    static IEnumerable<TestCaseData> Cases()
    {
        TestCaseData Case(string name, string code, string pattern) => new TestCaseData(code, pattern).SetName($"C input: {name}");
        yield return Case("a syntax error", WithBody("int x = ;"), @"^hostile\.c:6:\d+: error: expected expression$");
        yield return Case("an unknown call", WithBody("foo(ds_queue);"),
            @"^hostile\.c:6:\d+: deferred_split_scan\(\) calls foo\(\), which the model does not provide \(port it, or declare it in a header given with --stub-header\)$");
        yield return Case("a declared function nobody provides", "void foo(struct folio *f);\n" + WithBody("foo(NULL);"),
            @"^hostile\.c:7:\d+: deferred_split_scan\(\) calls foo\(\), which the model does not provide");
        yield return Case("an unknown name", WithBody("ds_queue->split_queue_len += THP_STAT;"),
            @"^hostile\.c:6:\d+: deferred_split_scan\(\) uses THP_STAT, which the model does not provide");
        yield return Case("an unknown struct member", WithBody("ds_queue->no_such_field = 0;"), @"^hostile\.c:6:\d+: error: no member named 'no_such_field'");
        yield return Case("a call through a function pointer", "void (*hook)(void);\n" + WithBody("hook();"),
            @"^hostile\.c:7:\d+: deferred_split_scan\(\) uses a call through a function pointer, which the C front end does not run$");
        yield return Case("inline assembly", WithBody("asm volatile(\"nop\");"), @"^hostile\.c:6:\d+: deferred_split_scan\(\) uses inline assembly");
        yield return Case("recursion", "static int f(int n) { return n ? f(n - 1) : 0; }\n" + WithBody("f(3);"),
            @"^hostile\.c:1:\d+: f\(\) is recursive \(f\(\) -> f\(\)\)");
        yield return Case("mutual recursion", "static int g(int n);\nstatic int f(int n) { return n ? g(n - 1) : 0; }\nstatic int g(int n) { return f(n); }\n" + WithBody("f(3);"),
            @"is recursive \((f\(\) -> g\(\) -> f\(\)|g\(\) -> f\(\) -> g\(\))\)");
        yield return Case("an empty file", "", @"^hostile\.c: defines no function$");
        yield return Case("only declarations", "struct folio *f;\nint x;\n", @"^hostile\.c: defines no function$");
        yield return Case("a struct passed by value", "static int f(struct list_head l) { return 0; }\n" + WithBody("f(ds_queue->split_queue);"),
            @"f\(\) passes or returns a struct list_head by value");
        yield return Case("a write to a global", "static int knob = 3;\n" + WithBody("knob = 4;"), @"deferred_split_scan\(\) writes the global knob, which the model keeps constant$");
        yield return Case("a global without a value", "extern int knob;\n" + WithBody("if (knob) return 1;"),
            @"deferred_split_scan\(\) reads the global knob, which has no constant value");
        yield return Case("a port called with the wrong arguments", WithBody("folio_put(NULL, NULL);"), @"^hostile\.c:6:\d+: error: too many arguments to function call");
        yield return Case("a 2-byte write to shared memory", WithBody("*(unsigned short *)&ds_queue->split_queue_len = 1;"),
            @"makes a 2-byte write of shared memory \(unsigned short\); the engine's shared accesses are 4 or 8 bytes$");
        yield return Case("a computed goto", WithBody("void *p = &&out; goto *p; out: ;"), @"deferred_split_scan\(\) uses (a computed goto|an expression of kind AddrLabelExpr)");
        yield return Case("brackets nested too deep", WithBody("int x = " + new string('(', 300) + "1" + new string(')', 300) + ";"),
            @"^hostile\.c:6:\d+: error: bracket nesting level exceeded maximum of 256$");
        yield return Case("statements nested too deep", WithBody(string.Concat(Enumerable.Repeat("if (sc->nid) ", 450)) + ";"),
            @"^hostile\.c:6:\d+: code nested more than 400 levels deep, which the C front end does not read$");
        yield return Case("a case label inside a nested block", WithBody("switch (sc->nid) { case 0: { case 1: break; } }"),
            @"deferred_split_scan\(\) uses a case label outside its switch's own block");
        yield return Case("a scan with the wrong signature", "static unsigned long deferred_split_scan(int nid) { return 0; }\n",
            @"deferred_split_scan\(\) must take \(struct shrinker \*, struct shrink_control \*\)");
        yield return Case("floating point", WithBody("double d = 1.5; if (d > 1) return 1;"), @"deferred_split_scan\(\) uses a local of type double");
        yield return Case("a variadic call of a C function", "static int f(int n, ...) { return n; }\n" + WithBody("f(1, 2);"),
            @"f\(\) (is variadic|calls|passes)|with 2 arguments; it takes 1");
    }

    [TestCaseSource(nameof(Cases))]
    public void GivesOneLineNamingThePlace(string code, string pattern)
    {
        var e = Assert.Throws<CError>(() => CState.Load(new CLoadOptions { Files = [new CSource("hostile.c", code)] }, Variants.V6_13));
        Assert.That(e!.Message, Does.Match(pattern));
        Assert.That(e.Message, Does.Not.Contain("\n"), "one line");
    }

    [Test]
    public void TheValidSkeletonLoads()
    {
        var st = CState.Load(new CLoadOptions { Files = [new CSource("hostile.c", WithBody(""))] }, Variants.V6_13);
        Assert.That(st.Origins.Select(o => o.Name), Does.Contain("deferred_split_scan"));
    }

    [Test]
    public void AStubHeaderWithASyntaxErrorIsNamed()
    {
        var e = Assert.Throws<CError>(() => CState.Load(new CLoadOptions
        {
            Files = [new CSource("hostile.c", WithBody(""))],
            StubHeaders = [new CSource("stubs.h", "#define my_stub(x) do { } while (0)\nint broken(;\n")],
        }, Variants.V6_13));
        Assert.That(e!.Message, Does.Match(@"^stubs\.h:2:\d+: error: "));
    }

    [Test]
    public void AStubHeaderProvidesWhatTheModelLacks()
    {
        var st = CState.Load(new CLoadOptions
        {
            Files = [new CSource("hostile.c", WithBody("count_splits(ds_queue);"))],
            StubHeaders = [new CSource("stubs.h", "#define count_splits(q) do { } while (0)\n")],
        }, Variants.V6_13);
        Assert.That(st.Origins.Select(o => o.Name), Does.Contain("deferred_split_scan"));
    }

    [Test]
    public void FunctionsNamingWhatTheFileLacksIsRefused()
    {
        var e = Assert.Throws<CError>(() => CState.Load(new CLoadOptions { Files = [new CSource("hostile.c", WithBody(""))], Functions = ["deferred_split_folio"] }, Variants.V6_13));
        Assert.That(e!.Message, Is.EqualTo("--functions names deferred_split_folio(), which hostile.c does not define"));
    }

    [Test]
    public void FilesThatAreNotCAreRefusedWithTheOffset()
    {
        var dir = Directory.CreateTempSubdirectory("mmfuzz-hostile-").FullName;
        try
        {
            var binary = Path.Combine(dir, "binary.c");
            File.WriteAllBytes(binary, [0x7f, (byte)'E', (byte)'L', (byte)'F', 0, 1, 2]);
            Assert.That(Assert.Throws<CError>(() => CInputs.ReadFile(binary, "binary.c"))!.Message, Is.EqualTo("binary.c: not a C file (a NUL byte at offset 4)"));
            var latin = Path.Combine(dir, "latin1.c");
            File.WriteAllBytes(latin, [(byte)'i', (byte)'n', (byte)'t', (byte)' ', 0xe9, (byte)';']);
            Assert.That(Assert.Throws<CError>(() => CInputs.ReadFile(latin, "latin1.c"))!.Message, Is.EqualTo("latin1.c: not a C file (bytes that are not UTF-8 at offset 4)"));
            var huge = Path.Combine(dir, "huge.c");
            using (var f = File.Create(huge))
                f.SetLength(50L << 20);
            var big = Assert.Throws<CError>(() => CInputs.ReadFile(huge, "huge.c"))!.Message;
            Assert.That(big, Is.EqualTo("huge.c: 52,428,800 bytes, more than the 8 MiB a kernel source file can be"));
            Assert.That(Assert.Throws<CError>(() => CInputs.ReadFile(Path.Combine(dir, "none.c"), "none.c"))!.Message, Is.EqualTo("none.c: no such file"));
            Assert.That(Assert.Throws<CError>(() => CInputs.ReadFile(dir, "dir"))!.Message, Is.EqualTo("dir: is a directory, not a C file"));
            Assert.That(Assert.Throws<CError>(() => CInputs.ReadTree(Path.Combine(dir, "no-tree"), []))!.Message, Does.EndWith("no-tree: no such directory"));
            Assert.That(Assert.Throws<CError>(() => CInputs.ReadTree(dir, []))!.Message, Does.EndWith(": no mm/huge_memory.c here: --kernel-tree takes the top directory of a kernel tree"));
            Assert.That(Assert.Throws<CError>(() => CInputs.ReadTree(binary, []))!.Message, Does.EndWith("binary.c: is a file; --kernel-tree takes the top directory of a kernel tree (the one holding mm/)"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
