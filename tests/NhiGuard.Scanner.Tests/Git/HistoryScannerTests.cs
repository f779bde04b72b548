using System.Text;
using NhiGuard.Scanner.Git;
using NhiGuard.Scanner.Rules;
using NhiGuard.TestSupport;

namespace NhiGuard.Scanner.Tests.Git;

public sealed class HistoryScannerTests
{
    // Checksum-valid GitHub tokens made at run time, so the repository never holds one.
    private static string Token(int seed) => new ExampleTemplate(seed).Expand("{{github:ghp}}");

    private static ScanResult History(string path, HistoryOptions? options = null) =>
        new HistoryScanner(ScanConfig.Default, options ?? new HistoryOptions { MaxParallelism = 2 }).Scan(path);

    private static GitRepository NewRepository()
    {
        var repo = new GitRepository();
        repo.Write("README.md", "# app\n");
        repo.Commit("init");
        return repo;
    }

    [Fact]
    public void ALaterVersionOfAConfigFileIsReadWithItsStructure()
    {
        // A token added to a Kubernetes Secret in a later commit is base64 in the raw text: only
        // the file's structure (data values are decoded) shows it, with its key.
        using var repo = NewRepository();
        string head = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ci\ndata:\n  user: " + Base64("builder") + "\n";
        repo.Write("deploy/ci-secret.yaml", head);
        repo.Commit("add the secret's skeleton");
        repo.Write("deploy/ci-secret.yaml", head + "  gh: " + Base64(Token(21)) + "\n");
        string added = repo.Commit("add the token");
        repo.Write("deploy/ci-secret.yaml", head + "  gh: " + Base64(Token(21)) + "\n  note: " + Base64("changeme") + "\n");
        repo.Commit("a weak value, judged by what it decodes to");

        ReportedFinding f = Assert.Single(History(repo.Path).Findings);
        Assert.Equal(("github-pat", "data.gh", 7, added, true), (f.Finding.RuleId, f.Finding.Key, f.Finding.Line, f.Commit, f.InHead));
    }

    private static string Base64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));

    [Fact]
    public void ASecretAddedThenRemovedIsReportedOnceAtTheCommitThatAddedItAndNotInHead()
    {
        using var repo = NewRepository();
        repo.Write("deploy/app.env", "NAME=app\nGITHUB_TOKEN=" + Token(1) + "\n");
        string added = repo.Commit("add deploy config");
        repo.Write("deploy/app.env", "NAME=app\nDEBUG=1\nGITHUB_TOKEN=" + Token(1) + "\n");
        repo.Commit("edit above the secret");
        repo.Delete("deploy/app.env");
        repo.Commit("remove it");

        ReportedFinding f = Assert.Single(History(repo.Path).Findings);
        Assert.Equal(added, f.Commit);
        Assert.Equal("deploy/app.env", f.Finding.Path);
        Assert.Equal(2, f.Finding.Line);
        Assert.Equal("Dev", f.Author);
        Assert.Equal("dev@example.test", f.AuthorEmail);
        Assert.NotNull(f.Date);
        Assert.False(f.InHead);
    }

    [Fact]
    public void ASecretStillPresentIsMarkedInHead()
    {
        using var repo = NewRepository();
        repo.Write("app.env", "T=" + Token(2) + "\n");
        repo.Commit("add");
        Assert.True(Assert.Single(History(repo.Path).Findings).InHead);
    }

    [Fact]
    public async Task ReadingThatMayNotRunAheadOfScanningStillFinishesWithTheSameFindings()
    {
        // With no room to read ahead, each change's new version waits until the changes before
        // it are scanned: that must neither deadlock nor lose anything.
        using var repo = NewRepository();
        for (int i = 0; i < 40; i++)
        {
            repo.Write($"src/Service{i % 7}.cs", string.Join("\n", Enumerable.Range(0, 50 + i).Select(n => $"    var value{n} = Compute({n * i}); // token {n}")) + "\n");
            repo.Write($"config/app{i % 3}.env", $"MODE=m{i}\n" + (i % 10 == 3 ? $"T{i}=" + Token(40 + i) + "\n" : ""));
            repo.Commit($"change {i}");
        }

        var roomy = History(repo.Path).Findings.Select(f => (f.Commit, f.Finding.Path, f.Finding.Line, f.InHead)).ToList();
        ScanResult tight = await Task.Run(() => History(repo.Path, new HistoryOptions { MaxParallelism = 2, ReadAheadBytes = 1 })).WaitAsync(TimeSpan.FromSeconds(120));
        Assert.Equal(4, roomy.Count);
        Assert.Equal(roomy, tight.Findings.Select(f => (f.Commit, f.Finding.Path, f.Finding.Line, f.InHead)).ToList());
    }

    [Fact]
    public void ASecretRemovedFromItsFileButPresentInAFileOutsideTheRangeIsStillInHead()
    {
        // The tip's other files are searched for the secret's text, also those the range never read.
        using var repo = NewRepository();
        string token = Token(31);
        repo.Write("docs/notes.txt", "rotate later: " + token.Replace("ghp_", "ghp_ ") + "\nkeep " + token + " here\n");
        string before = repo.Commit("notes (before the range)");
        repo.Write("app.env", "T=" + token + "\n");
        string added = repo.Commit("add");
        repo.Git("rm", "-q", "app.env");
        repo.Commit("remove");

        ReportedFinding f = Assert.Single(History(repo.Path, new HistoryOptions { Since = before, MaxParallelism = 2 }).Findings);
        Assert.Equal((added, "app.env"), (f.Commit, f.Finding.Path));
        Assert.True(f.InHead);

        repo.Write("docs/notes.txt", "nothing here\n");
        repo.Commit("clean the notes");
        Assert.False(Assert.Single(History(repo.Path, new HistoryOptions { Since = before, MaxParallelism = 2 }).Findings).InHead);
    }

    [Fact]
    public void ASecretOnASideBranchIsFoundAtItsCommitAndNotAgainAtTheMerge()
    {
        using var repo = NewRepository();
        repo.Checkout("feature", create: true);
        repo.Write("feature.env", "T=" + Token(3) + "\n");
        string side = repo.Commit("feature work");
        repo.Checkout("main");
        repo.Write("other.txt", "main work\n");
        repo.Commit("main work");

        ReportedFinding before = Assert.Single(History(repo.Path).Findings);
        Assert.Equal(side, before.Commit);
        Assert.False(before.InHead);

        repo.Merge("feature");
        ReportedFinding after = Assert.Single(History(repo.Path).Findings);
        Assert.Equal(side, after.Commit);
        Assert.True(after.InHead);
    }

    [Fact]
    public void ASecretWrittenWhileResolvingAMergeConflictIsReportedAtTheMerge()
    {
        using var repo = NewRepository();
        repo.Write("settings.env", "MODE=a\n");
        repo.Commit("settings");
        repo.Checkout("feature", create: true);
        repo.Write("settings.env", "MODE=feature\n");
        repo.Commit("feature settings");
        repo.Checkout("main");
        repo.Write("settings.env", "MODE=main\n");
        repo.Commit("main settings");
        string merge = repo.Merge("feature", () => repo.Write("settings.env", "MODE=both\nT=" + Token(4) + "\n"));

        ReportedFinding f = Assert.Single(History(repo.Path).Findings);
        Assert.Equal(merge, f.Commit);
        Assert.Equal(2, f.Finding.Line);
    }

    [Fact]
    public void ARenameIsNotANewSecret()
    {
        using var repo = NewRepository();
        repo.Write("old/name.env", "T=" + Token(5) + "\n");
        string added = repo.Commit("add");
        repo.Git("mv", "old/name.env", "new-name.env");
        repo.Commit("rename");
        repo.Write("new-name.env", "# moved\nT=" + Token(5) + "\n");
        repo.Commit("edit");

        ReportedFinding f = Assert.Single(History(repo.Path).Findings);
        Assert.Equal(added, f.Commit);
        Assert.Equal("old/name.env", f.Finding.Path);
        Assert.True(f.InHead);
    }

    [Fact]
    public void TheSameSecretAddedAgainAtTheSamePathIsReportedOnceAtTheFirstCommit()
    {
        using var repo = NewRepository();
        repo.Write("a.env", "T=" + Token(6) + "\n");
        string first = repo.Commit("add");
        repo.Delete("a.env");
        repo.Commit("remove");
        repo.Write("a.env", "T=" + Token(6) + "\n");
        repo.Commit("add again");

        ReportedFinding f = Assert.Single(History(repo.Path).Findings);
        Assert.Equal(first, f.Commit);
    }

    [Fact]
    public void ARangeThatExcludesTheSecretFindsNothingAndOneThatIncludesItDoes()
    {
        using var repo = NewRepository();
        repo.Write("a.env", "T=" + Token(7) + "\n");
        string added = repo.Commit("add");
        repo.Write("b.txt", "later\n");
        string later = repo.Commit("later");
        repo.Write("c.txt", "latest\n");
        repo.Commit("latest");

        Assert.Empty(History(repo.Path, new HistoryOptions { Since = added }).Findings);
        Assert.Empty(History(repo.Path, new HistoryOptions { Since = $"{added}..{later}" }).Findings);
        Assert.Equal(added, Assert.Single(History(repo.Path, new HistoryOptions { Since = $"{added}~1..{later}" }).Findings).Commit);
        Assert.Equal(2, History(repo.Path, new HistoryOptions { MaxCommits = 2 }).CommitsScanned);
        Assert.Empty(History(repo.Path, new HistoryOptions { MaxCommits = 2 }).Findings);
    }

    [Fact]
    public void ABranchLimitsTheScanToWhatItReaches()
    {
        using var repo = NewRepository();
        repo.Checkout("feature", create: true);
        repo.Write("f.env", "T=" + Token(8) + "\n");
        repo.Commit("feature");
        repo.Checkout("main");

        Assert.Empty(History(repo.Path, new HistoryOptions { Branch = "main" }).Findings);
        ReportedFinding f = Assert.Single(History(repo.Path, new HistoryOptions { Branch = "feature" }).Findings);
        Assert.True(f.InHead); // "HEAD" is the tip of the branch scanned.
    }

    [Fact]
    public void BinaryBlobsLfsPointersAndSubmodulesAreNotScannedAsText()
    {
        using var repo = NewRepository();
        byte[] binary = [.. Encoding.ASCII.GetBytes("T=" + Token(9) + "\n"), 0, 1, 2, 0];
        repo.WriteBytes("bin/blob.dat", binary);
        repo.Write("big.psd", "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n");
        repo.Commit("binary and lfs");
        using var module = NewRepository();
        repo.Git("-c", "protocol.file.allow=always", "submodule", "add", "-q", module.Path, "vendor/module");
        repo.Commit("submodule");

        ScanResult result = History(repo.Path);
        Assert.Empty(result.Findings);
        Assert.Equal(2, result.Statistics.SkippedBinary);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void NonUtf8ContentIsScanned()
    {
        using var repo = NewRepository();
        byte[] latin1 = [.. Encoding.Latin1.GetBytes("# caf\u00e9 r\u00e9glages\nT="), .. Encoding.ASCII.GetBytes(Token(10) + "\n")];
        repo.WriteBytes("r\u00e9glages.env", latin1);
        repo.Commit("latin-1");

        ReportedFinding f = Assert.Single(History(repo.Path).Findings);
        Assert.Equal("r\u00e9glages.env", f.Finding.Path);
        Assert.Equal(2, f.Finding.Line);
    }

    [Fact]
    public void InlineAllowsAndTheBaselineApply()
    {
        using var repo = NewRepository();
        repo.Write("a.env", "T=" + Token(11) + " # nhiguard:allow\n");
        repo.Write("b.env", "T=" + Token(12) + "\n");
        repo.Commit("add");

        ScanResult first = History(repo.Path);
        Assert.Equal("b.env", Assert.Single(first.Findings).Finding.Path);

        string baselinePath = Path.Combine(repo.Path, ".git", "baseline.json");
        using (var stream = File.Create(baselinePath))
        {
            new Reports.JsonReporter().Write(first, stream, new Reports.ReportOptions());
        }

        ScanResult second = History(repo.Path, new HistoryOptions { Baseline = Baseline.Load(baselinePath) });
        Assert.Empty(second.Findings);
        Assert.Equal(1, second.BaselineHidden);
    }

    [Fact]
    public void AShallowCloneIsScannedAsFarAsItGoesAndSaysWhatIsMissing()
    {
        using var source = NewRepository();
        source.Write("a.env", "T=" + Token(13) + "\n");
        source.Commit("old secret");
        for (int i = 0; i < 3; i++)
        {
            source.Write("log.txt", $"change {i}\n");
            source.Commit($"change {i}");
        }

        using var dir = new TempDirectory();
        string clone = Path.Combine(dir.Path, "clone");
        GitHistory.CloneShallow(source, clone, depth: 2);

        ScanResult result = History(clone);
        Assert.Equal(2, result.CommitsScanned);
        Assert.Contains(result.Notices, n => n.Contains("shallow clone", StringComparison.Ordinal));
        ReportedFinding f = Assert.Single(result.Findings); // at the boundary, which shows the tree it starts from
        Assert.True(f.InHead);
    }

    [Fact]
    public void AnEmptyRepositoryHasNothingToReport()
    {
        using var repo = new GitRepository();
        ScanResult result = History(repo.Path);
        Assert.Empty(result.Findings);
        Assert.Equal(0, result.CommitsScanned);
    }

    [Fact]
    public void AFolderThatIsNotARepositoryIsAOneLineError()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<ConfigurationException>(() => History(dir.Path));
        Assert.EndsWith(": not a git repository", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void AnUnknownRevisionIsAOneLineError()
    {
        using var repo = NewRepository();
        var e = Assert.Throws<ConfigurationException>(() => History(repo.Path, new HistoryOptions { Since = "no-such-branch" }));
        Assert.StartsWith("--since: unknown revision 'no-such-branch'", e.Message);
        Assert.Throws<ConfigurationException>(() => History(repo.Path, new HistoryOptions { Branch = "--all" }));
    }

    [Fact]
    public void ABlobSharedByManyCommitsAndPathsIsScannedOnce()
    {
        using var repo = NewRepository();
        string text = "T=" + Token(14) + "\n";
        repo.Write("a/one.env", text);
        repo.Commit("one");
        repo.Write("b/two.env", text);
        repo.Commit("copy");
        repo.Delete("a/one.env");
        repo.Commit("delete");
        repo.Write("a/one.env", text);
        repo.Commit("restore");

        ScanResult result = History(repo.Path);
        Assert.Equal(["a/one.env", "b/two.env"], result.Findings.Select(f => f.Finding.Path).ToArray());
        Assert.Equal(2, result.Statistics.FilesScanned); // README.md and the one .env blob
    }

    [Fact]
    public void CancellingStopsTheScan()
    {
        using var repo = NewRepository();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => new HistoryScanner(ScanConfig.Default, new HistoryOptions()).Scan(repo.Path, cancelled.Token));
    }
}
