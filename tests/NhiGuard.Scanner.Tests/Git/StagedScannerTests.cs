using NhiGuard.Scanner.Git;
using NhiGuard.Scanner.Rules;
using NhiGuard.TestSupport;

namespace NhiGuard.Scanner.Tests.Git;

public sealed class StagedScannerTests
{
    private static string Token(int seed) => new ExampleTemplate(seed).Expand("{{github:ghp}}");

    private static ScanResult Staged(string path) => new StagedScanner(ScanConfig.Default).Scan(path);

    [Fact]
    public void AStagedSecretIsFoundBeforeTheFirstCommit()
    {
        using var repo = new GitRepository();
        repo.Write("app.env", "A=1\nT=" + Token(1) + "\n");
        repo.Stage("app.env");

        var f = Assert.Single(Staged(repo.Path).Findings);
        Assert.Equal(("app.env", 2), (f.Finding.Path, f.Finding.Line));
        Assert.Null(f.Commit);
    }

    [Fact]
    public void AnUnstagedSecretIsNotWhatTheCommitRecords()
    {
        using var repo = new GitRepository();
        repo.Write("app.env", "A=1\n");
        repo.Commit("init");
        repo.Write("app.env", "A=1\nT=" + Token(2) + "\n");
        repo.Write("new.env", "T=" + Token(3) + "\n");
        Assert.Empty(Staged(repo.Path).Findings);

        // Staged, then edited away in the work tree: the index still has it.
        repo.Stage("app.env");
        repo.Write("app.env", "A=1\n");
        Assert.Single(Staged(repo.Path).Findings);
    }

    [Fact]
    public void ASecretHeadAlreadyHasIsNotReportedWhenItsFileChangesOrMoves()
    {
        using var repo = new GitRepository();
        repo.Write("app.env", "T=" + Token(4) + "\n");
        repo.Commit("old secret");
        repo.Write("app.env", "# comment\nT=" + Token(4) + "\n");
        repo.Stage("app.env");
        Assert.Empty(Staged(repo.Path).Findings);

        repo.Git("mv", "app.env", "moved.env");
        Assert.Empty(Staged(repo.Path).Findings);
    }

    [Fact]
    public void NothingStagedIsClean()
    {
        using var repo = new GitRepository();
        repo.Write("a.txt", "a\n");
        repo.Commit("init");
        ScanResult result = Staged(repo.Path);
        Assert.Empty(result.Findings);
        Assert.Equal(0, result.Statistics.FilesScanned);
    }
}
