using System.Globalization;
using System.Text.Json;
using NhiGuard.TestSupport;

namespace NhiGuard.Cli.Tests;

public sealed class HistoryCommandTests
{
    private static JsonElement[] Findings(ProcessResult r) =>
        JsonDocument.Parse(r.StdOut).RootElement.GetProperty("findings").EnumerateArray().ToArray();

    [Fact]
    public void JsonNamesTheCommitAuthorDateAndWhetherTheSecretIsStillInHead()
    {
        using var repo = new GitRepository();
        repo.Write("deploy/app.env", "GITHUB_TOKEN=" + Cli.GitHubToken(1) + "\n");
        string added = repo.Commit("add");
        repo.Delete("deploy/app.env");
        repo.Commit("remove");

        ProcessResult r = Cli.Run(repo.Path, "history", "--format", "json");
        Assert.Equal(1, r.ExitCode);
        JsonElement f = Assert.Single(Findings(r));
        Assert.Equal(added, f.GetProperty("commit").GetString());
        Assert.Equal("Dev", f.GetProperty("author").GetString());
        Assert.Equal("dev@example.test", f.GetProperty("authorEmail").GetString());
        Assert.EndsWith("Z", f.GetProperty("date").GetString());
        Assert.False(f.GetProperty("inHead").GetBoolean());
        Assert.Equal(2, JsonDocument.Parse(r.StdOut).RootElement.GetProperty("summary").GetProperty("commitsScanned").GetInt32());
        Assert.DoesNotContain(Cli.GitHubToken(1), r.StdOut);
    }

    [Fact]
    public void SarifAndTextCarryTheCommit()
    {
        using var repo = new GitRepository();
        repo.Write("app.env", "T=" + Cli.GitHubToken(2) + "\n");
        string added = repo.Commit("add");

        ProcessResult sarif = Cli.Run(repo.Path, "history", ".", "-f", "sarif");
        JsonElement result = JsonDocument.Parse(sarif.StdOut).RootElement.GetProperty("runs")[0].GetProperty("results")[0];
        Assert.Equal(added, result.GetProperty("properties").GetProperty("commit").GetString());
        Assert.True(result.GetProperty("properties").GetProperty("inHead").GetBoolean());

        ProcessResult text = Cli.Run(repo.Path, "history", ".");
        Assert.Contains($"commit: {added[..12]} by Dev on ", text.StdOut);
        Assert.Contains("still in HEAD", text.StdOut);
        Assert.Contains("1 commit, 1 blob", text.StdOut);
        Assert.Equal("", text.StdErr); // no progress line when stderr is not a terminal
    }

    [Fact]
    public void ARangeAndTheExitCodeOptionWork()
    {
        using var repo = new GitRepository();
        repo.Write("a.txt", "a\n");
        string first = repo.Commit("first");
        repo.Write("app.env", "T=" + Cli.GitHubToken(3) + "\n");
        repo.Commit("secret");

        Assert.Equal(0, Cli.Run(repo.Path, "history", "--since", "HEAD").ExitCode);
        Assert.Equal(7, Cli.Run(repo.Path, "history", "--since", first, "--exit-code", "7").ExitCode);
        Assert.Equal(1, Cli.Run(repo.Path, "history", "--since", $"{first}..HEAD", "-q").ExitCode);
    }

    [Fact]
    public void AShallowCloneSaysWhatWasNotReachable()
    {
        using var source = new GitRepository();
        for (int i = 0; i < 3; i++)
        {
            source.Write("log.txt", $"change {i}\n");
            source.Commit($"change {i}");
        }

        using var dir = new TempDirectory();
        string clone = Path.Combine(dir.Path, "clone");
        GitHistory.CloneShallow(source, clone, depth: 1);
        ProcessResult r = Cli.Run(dir.Path, "history", "clone");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("nhiguard: shallow clone: the history behind 1 boundary commit", r.StdErr);
        Assert.Single(r.StdErr.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("not-a-repo", "nhiguard: {0}: not a git repository")]
    [InlineData("missing", "nhiguard: missing: no such folder")]
    public void APathThatIsNotARepositoryExits2WithOneLine(string which, string expected)
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "not-a-repo"));
        ProcessResult r = Cli.Run(dir.Path, "history", which);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal(string.Format(expected, which), r.StdErr.TrimEnd());
    }

    [Fact]
    public void BadOptionsExit2WithOneLine()
    {
        using var repo = new GitRepository();
        repo.Write("a.txt", "a\n");
        repo.Commit("init");
        ProcessResult r = Cli.Run(repo.Path, "history", "--branch", "nope");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("nhiguard: --branch: unknown revision 'nope'", r.StdErr);
        Assert.Equal(2, Cli.Run(repo.Path, "history", "--max-commits", "0").ExitCode);
    }

    [Fact]
    public void AnEmptyRepositoryIsClean()
    {
        using var repo = new GitRepository();
        ProcessResult r = Cli.Run(repo.Path, "history");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("No secrets found; 0 commits", r.StdOut);
    }

    // git is the authority on the objects: when it dies on a corrupt one, its reason is the error,
    // whichever of the reading threads notices first, and a report already written stays.
    [Fact]
    public void ACorruptPackIsAOneLineErrorNamingTheObject()
    {
        using var repo = new GitRepository();
        var random = new Random(5);
        for (int i = 0; i < 8; i++)
        {
            repo.Write($"f{i}.txt", string.Join('\n', Enumerable.Range(0, 4000).Select(_ => random.NextInt64().ToString("x16"))));
        }

        repo.Commit("files");
        repo.Git("gc", "-q");
        string pack = Directory.GetFiles(Path.Combine(repo.Path, ".git", "objects", "pack"), "*.pack").Single();
        string blob = repo.Git("rev-parse", "HEAD:f5.txt").Trim();

        // verify-pack -v: "<id> blob <size> <size in pack> <offset>"
        string[] entry = repo.Git("verify-pack", "-v", Path.ChangeExtension(pack, ".idx")).Split('\n')
            .Single(l => l.StartsWith(blob, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long offset = long.Parse(entry[4], CultureInfo.InvariantCulture) + (long.Parse(entry[3], CultureInfo.InvariantCulture) / 2);
        File.SetAttributes(pack, FileAttributes.Normal);
        using (var stream = new FileStream(pack, FileMode.Open, FileAccess.Write))
        {
            stream.Position = offset;
            stream.Write(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray());
        }

        string report = repo.Write("report.json", "{\"good\": true}");
        ProcessResult r = Cli.Run(repo.Path, "history", ".", "--format", "json", "--output", report);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Single(r.StdErr.TrimEnd().Split('\n'));
        Assert.StartsWith("nhiguard: git: fatal:", r.StdErr);
        Assert.Contains(blob, r.StdErr);
        Assert.Equal("{\"good\": true}", File.ReadAllText(report));
    }
}
