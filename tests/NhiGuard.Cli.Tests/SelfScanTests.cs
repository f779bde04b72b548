using NhiGuard.TestSupport;

namespace NhiGuard.Cli.Tests;

public sealed class SelfScanTests
{
    [Fact]
    public void ThisRepositoryPassesItsOwnScan()
    {
        var r = Cli.Run(RepositoryPaths.Root, "scan", ".", "--verbose");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("No secrets found", r.StdOut);
    }
}
