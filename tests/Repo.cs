using NUnit.Framework;

namespace MmFuzz.Tests;

/// <summary>The checkout the tests run from.</summary>
static class Repo
{
    /// <summary>The directory holding Fuzz.sln, found by walking up from the test assembly.</summary>
    public static string Root()
    {
        for (var d = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Fuzz.sln")))
                return d.FullName;
        throw new DirectoryNotFoundException($"no Fuzz.sln above {TestContext.CurrentContext.TestDirectory}");
    }
}
