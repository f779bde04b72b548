using NhiGuard.Scanner.Git;
using NhiGuard.Scanner.Rules;
using NhiGuard.TestSupport;

namespace NhiGuard.Scanner.Tests.Git;

public sealed class AddedLinesTests
{
    private static int[] Added(string text, params string[] parents)
    {
        AddedLines added = AddedLines.Compute(BlobLines.Of(text), parents.Select(p => BlobLines.Of(p).SortedHashes()).ToList());
        return Enumerable.Range(1, added.LineCount).Where(l => added.AnyAdded(l, l)).ToArray();
    }

    [Fact]
    public void OnlyLinesNoParentHadAreAdded()
    {
        Assert.Equal([1, 2], Added("a\nb\n"));
        Assert.Equal([2], Added("a\nnew\nb\n", "a\nb\n"));
        Assert.Empty(Added("b\na\n", "a\nb\n")); // moved, not added
        Assert.Empty(Added("a\r\nb\r\n", "a\nb\n")); // line endings changed
        Assert.Equal([3], Added("}\n}\n}\n", "}\n}\n")); // one more copy than before: the last one
    }

    [Fact]
    public void AMergeAddsOnlyWhatEveryParentLacks()
    {
        Assert.Equal([4], Added("base\nours\ntheirs\nresolution\n", "base\nours\n", "base\ntheirs\n"));
    }

    [Fact]
    public void ASecretInsertedIntoAnExistingFileIsReportedAtItsLineAndAllowsAboveItAreHonoured()
    {
        using var repo = new GitRepository();
        string body = string.Concat(Enumerable.Range(1, 10).Select(i => $"line {i}\n"));
        repo.Write("app.txt", body);
        repo.Write("allowed.txt", body);
        repo.Commit("init");
        string token = new ExampleTemplate(30).Expand("{{github:ghp}}");
        repo.Write("app.txt", body.Replace("line 6\n", $"line 6\ntoken = {token}\n"));
        repo.Write("allowed.txt", body.Replace("line 6\n", $"line 6 # nhiguard:allow-next-line\ntoken = {token}\n"));
        string added = repo.Commit("add");

        ReportedFinding f = Assert.Single(new HistoryScanner(ScanConfig.Default, new HistoryOptions()).Scan(repo.Path).Findings);
        Assert.Equal(("app.txt", 7, 9, added), (f.Finding.Path, f.Finding.Line, f.Finding.Column, f.Commit));
    }
}
