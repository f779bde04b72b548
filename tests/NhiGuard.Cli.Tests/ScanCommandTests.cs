using System.Text;
using System.Text.Json;
using NhiGuard.TestSupport;

namespace NhiGuard.Cli.Tests;

public sealed class ScanCommandTests
{
    [Fact]
    public void CleanFolderExitsZeroWithASummary()
    {
        using var dir = new TempDirectory();
        dir.Write("src/Program.cs", "Console.WriteLine(\"hello\");\n");
        var r = Cli.Run(dir.Path, "scan", ".");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("No secrets found", r.StdOut);
        Assert.Contains("1 file (", r.StdOut);
    }

    [Fact]
    public void SecretIsReportedRedactedWithExitCodeOne()
    {
        using var dir = new TempDirectory();
        string token = Cli.GitHubToken(1);
        dir.Write("deploy/.env", $"# deploy\nGITHUB_TOKEN={token}\n");
        var r = Cli.Run(dir.Path, "scan", ".");
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains("deploy/.env", r.StdOut);
        Assert.Contains("2:14", r.StdOut);
        Assert.Contains("github-pat", r.StdOut);
        Assert.Contains("ghp_*****", r.StdOut);
        Assert.DoesNotContain(token, r.StdOut + r.StdErr);
        Assert.Contains("1 secret found", r.StdOut);
    }

    [Fact]
    public void ExitCodeOptionOverridesFindingsExitCode()
    {
        using var dir = new TempDirectory();
        dir.Write("a.txt", Cli.GitHubToken(2));
        Assert.Equal(42, Cli.Run(dir.Path, "scan", ".", "--exit-code", "42").ExitCode);
    }

    [Fact]
    public void JsonReportFollowsTheContract()
    {
        using var dir = new TempDirectory();
        string token = Cli.GitHubToken(3);
        dir.Write("config/app.yaml", $"github:\n  token: {token}\n");
        var r = Cli.Run(dir.Path, "scan", ".", "--format", "json");
        Assert.Equal(1, r.ExitCode);
        using var doc = JsonDocument.Parse(r.StdOut);
        var f = Assert.Single(doc.RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal("github-pat", f.GetProperty("ruleId").GetString());
        Assert.Equal("critical", f.GetProperty("severity").GetString());
        Assert.Equal("config/app.yaml", f.GetProperty("path").GetString());
        Assert.Equal(2, f.GetProperty("line").GetInt32());
        Assert.Equal(10, f.GetProperty("column").GetInt32());
        Assert.Equal(2, f.GetProperty("endLine").GetInt32());
        Assert.Equal(10 + token.Length, f.GetProperty("endColumn").GetInt32());
        Assert.Equal("ghp_*****", f.GetProperty("secret").GetString());
        Assert.Matches("^[0-9a-f]{32}$", f.GetProperty("fingerprint").GetString());
        Assert.True(f.TryGetProperty("key", out _));
        Assert.Equal(JsonValueKind.Null, f.GetProperty("commit").ValueKind);
        Assert.False(string.IsNullOrEmpty(f.GetProperty("title").GetString()));
    }

    [Fact]
    public void SarifReportIsWhatCodeScanningReads()
    {
        using var dir = new TempDirectory();
        string token = Cli.GitHubToken(4);
        dir.Write("src/My App/Program.cs", $"var t = \"{token}\";\n");
        var r = Cli.Run(dir.Path, "scan", ".", "--format", "sarif");
        Assert.Equal(1, r.ExitCode);
        using var doc = JsonDocument.Parse(r.StdOut);
        Assert.Equal("2.1.0", doc.RootElement.GetProperty("version").GetString());
        var run = doc.RootElement.GetProperty("runs")[0];
        var rule = Assert.Single(run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray());
        Assert.Equal("github-pat", rule.GetProperty("id").GetString());
        Assert.False(string.IsNullOrEmpty(rule.GetProperty("help").GetProperty("text").GetString()));
        Assert.Equal("9.5", rule.GetProperty("properties").GetProperty("security-severity").GetString());
        var result = Assert.Single(run.GetProperty("results").EnumerateArray());
        var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.Equal("src/My%20App/Program.cs", location.GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal("%SRCROOT%", location.GetProperty("artifactLocation").GetProperty("uriBaseId").GetString());
        Assert.Equal(1, location.GetProperty("region").GetProperty("startLine").GetInt32());
        Assert.Equal(10, location.GetProperty("region").GetProperty("startColumn").GetInt32());
        Assert.True(result.GetProperty("partialFingerprints").EnumerateObject().Any());
        Assert.StartsWith("file:///", run.GetProperty("originalUriBaseIds").GetProperty("%SRCROOT%").GetProperty("uri").GetString());
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    [InlineData("sarif")]
    public void NoFormatRevealsASecretUnlessAsked(string format)
    {
        using var dir = new TempDirectory();
        string token = Cli.GitHubToken(5);
        dir.Write("a.env", $"TOKEN={token}\n");
        var hidden = Cli.Run(dir.Path, "scan", ".", "--format", format);
        Assert.Equal(1, hidden.ExitCode);
        Assert.DoesNotContain(token, hidden.StdOut + hidden.StdErr);
        Assert.DoesNotContain(token[4..20], hidden.StdOut + hidden.StdErr);

        var shown = Cli.Run(dir.Path, "scan", ".", "--format", format, "--show-secrets");
        Assert.Contains(token, shown.StdOut);
    }

    [Fact]
    public void OutputIsWrittenToAFileAndAFailedRunLeavesItAlone()
    {
        using var dir = new TempDirectory();
        dir.Write("repo/a.env", $"TOKEN={Cli.GitHubToken(6)}\n");
        string report = Path.Combine(dir.Path, "report.json");
        var r = Cli.Run(dir.Path, "scan", "repo", "--format", "json", "--output", report);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("", r.StdOut);
        string good = File.ReadAllText(report);
        Assert.Contains("github-pat", good);

        dir.Write("bad.yaml", "rules: [\n");
        var failed = Cli.Run(dir.Path, "scan", "repo", "--format", "json", "--output", report, "--config", "bad.yaml");
        Assert.Equal(2, failed.ExitCode);
        Assert.Equal(good, File.ReadAllText(report));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void QuietPrintsFindingsOnly()
    {
        using var dir = new TempDirectory();
        dir.Write("clean.txt", "nothing here");
        var r = Cli.Run(dir.Path, "scan", ".", "--quiet");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.StdOut.Trim());
    }

    [Fact]
    public void ColourOnlyWhenAskedForByATerminal()
    {
        using var dir = new TempDirectory();
        dir.Write("a.env", $"TOKEN={Cli.GitHubToken(7)}\n");
        var r = Cli.RunWithEnvironment(dir.Path, new Dictionary<string, string?> { ["NO_COLOR"] = null }, "scan", ".");
        Assert.DoesNotContain("\u001b[", r.StdOut);
    }

    [Fact]
    public void UsageErrorsExitTwoWithOneLine()
    {
        using var dir = new TempDirectory();
        var badFormat = Cli.Run(dir.Path, "scan", ".", "--format", "xml");
        Assert.Equal(2, badFormat.ExitCode);
        Assert.StartsWith("nhiguard: ", badFormat.StdErr);
        Assert.DoesNotContain("   at ", badFormat.StdErr);

        var missing = Cli.Run(dir.Path, "scan", "does-not-exist");
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal("nhiguard: does-not-exist: no such file or folder", missing.StdErr.Trim());

        var badSize = Cli.Run(dir.Path, "scan", ".", "--max-file-size", "lots");
        Assert.Equal(2, badSize.ExitCode);
        Assert.Contains("--max-file-size", badSize.StdErr);
    }
}
