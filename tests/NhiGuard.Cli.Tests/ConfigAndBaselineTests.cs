using System.Text.Json;
using NhiGuard.TestSupport;

namespace NhiGuard.Cli.Tests;

public sealed class ConfigAndBaselineTests
{
    private static string[] RuleIds(ProcessResult r) =>
        JsonDocument.Parse(r.StdOut).RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("ruleId").GetString()!).ToArray();

    private const string AcmeRule = """
        rules:
          - id: acme-key
            title: Acme API key
            keywords: [acme-]
            regex: '\b(?<secret>acme-[a-z0-9]{24})\b'
            examples:
              secret: ['k = acme-{{rand:lower:24}}']
              not-secret: ['k = acme-short']
        """;

    [Fact]
    public void CustomRulesFromTheRootConfigExtendTheBuiltIns()
    {
        using var dir = new TempDirectory();
        dir.Write(".nhiguard.yaml", AcmeRule);
        dir.Write("app.cfg", $"key = acme-{Cli.Random(1, "lower", 24)}\ngh = {Cli.GitHubToken(1)}\n");
        var r = Cli.Run(dir.Path, "scan", ".", "--format", "json");
        Assert.Equal(["acme-key", "github-pat"], RuleIds(r));
    }

    [Fact]
    public void ExtendFalseReplacesTheBuiltIns()
    {
        using var dir = new TempDirectory();
        dir.Write("custom.yaml", "extend: false\n" + AcmeRule);
        dir.Write("app.cfg", $"key = acme-{Cli.Random(1, "lower", 24)}\ngh = {Cli.GitHubToken(1)}\n");
        Assert.Equal(["acme-key"], RuleIds(Cli.Run(dir.Path, "scan", ".", "--format", "json", "--config", "custom.yaml")));
    }

    [Fact]
    public void DisableAndAllowlistsSilenceFindings()
    {
        using var dir = new TempDirectory();
        dir.Write("fixtures/a.env", "T=" + Cli.GitHubToken(2));
        dir.Write("src/b.env", "T=" + Cli.GitHubToken(3));
        dir.Write("paths.yaml", "allow:\n  paths: ['fixtures/**']\n");
        Assert.Single(RuleIds(Cli.Run(dir.Path, "scan", ".", "-f", "json", "-c", "paths.yaml")));
        dir.Write("disable.yaml", "disable: [github-pat]\n");
        Assert.Equal(0, Cli.Run(dir.Path, "scan", ".", "-c", "disable.yaml").ExitCode);
        string token = Cli.GitHubToken(3);
        dir.Write("regex.yaml", $"allow:\n  regexes: ['^{token[..10]}']\n");
        Assert.Single(RuleIds(Cli.Run(dir.Path, "scan", ".", "-f", "json", "-c", "regex.yaml")));
    }

    [Theory]
    [InlineData("rules: [\n  - id: x\n", "bad.yaml:")]
    [InlineData("disable:\n  - no-such-rule\n", "bad.yaml:2:5: unknown rule id 'no-such-rule'")]
    [InlineData("colour: blue\n", "bad.yaml:1:1: unknown setting 'colour'")]
    [InlineData("rules:\n  - id: broken\n    keywords: [x]\n    regex: '(unclosed'\n", "bad.yaml:2:5: rule 'broken': invalid regex")]
    [InlineData("rules:\n  - id: Bad_Id\n    regex: 'x'\n", "bad.yaml:2:9: rule id 'Bad_Id' must be kebab-case")]
    [InlineData("allow:\n  regexes: ['[']\n", "bad.yaml:2:13: ")]
    [InlineData("rules:\n  - id: x\n    regex: 'x'\n    severity: urgent\n", "bad.yaml:4:15: 'severity' must be one of")]
    public void MalformedConfigExitsTwoWithFileLineColumn(string yaml, string expected)
    {
        using var dir = new TempDirectory();
        dir.Write("bad.yaml", yaml);
        dir.Write("a.txt", "hello");
        var r = Cli.Run(dir.Path, "scan", ".", "--config", "bad.yaml");
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.StartsWith("nhiguard: " + expected, r.StdErr);
        Assert.Single(r.StdErr.Trim().Split('\n'));
    }

    [Fact]
    public void CustomRuleWhoseExamplesMisbehaveIsAConfigError()
    {
        using var dir = new TempDirectory();
        dir.Write("bad.yaml", AcmeRule.Replace("not-secret: ['k = acme-short']", "not-secret: ['k = acme-{{rand:lower:24}}']"));
        var r = Cli.Run(dir.Path, "scan", ".", "--config", "bad.yaml");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("bad.yaml:2:5: rule 'acme-key': not-secret example was found", r.StdErr);
    }

    [Fact]
    public void BaselineHidesKnownFindingsAndCountsStaleEntries()
    {
        using var dir = new TempDirectory();
        dir.Write("repo/old.env", "T=" + Cli.GitHubToken(20));
        dir.Write("repo/other.env", "T=" + Cli.GitHubToken(21));
        string baseline = Path.Combine(dir.Path, "baseline.json");
        var b = Cli.Run(dir.Path, "baseline", "repo", "--output", baseline);
        Assert.True(b.ExitCode == 0, b.ToString());
        Assert.DoesNotContain(Cli.GitHubToken(20), File.ReadAllText(baseline));

        var same = Cli.Run(dir.Path, "scan", "repo", "--baseline", baseline);
        Assert.Equal(0, same.ExitCode);

        // Moving the secret down a line keeps its fingerprint; a new secret is reported; a removed one is stale.
        dir.Write("repo/old.env", "# moved\nT=" + Cli.GitHubToken(20));
        File.Delete(Path.Combine(dir.Path, "repo/other.env"));
        dir.Write("repo/new.env", "T=" + Cli.GitHubToken(22));
        var changed = Cli.Run(dir.Path, "scan", "repo", "--baseline", baseline, "--format", "json");
        Assert.Equal(1, changed.ExitCode);
        using var doc = JsonDocument.Parse(changed.StdOut);
        Assert.Equal("new.env", Assert.Single(doc.RootElement.GetProperty("findings").EnumerateArray()).GetProperty("path").GetString());
        Assert.Equal(1, doc.RootElement.GetProperty("summary").GetProperty("baselineStale").GetInt32());
        Assert.Equal(1, doc.RootElement.GetProperty("summary").GetProperty("baselineHidden").GetInt32());

        var text = Cli.Run(dir.Path, "scan", "repo", "--baseline", baseline);
        Assert.Contains("1 baseline entry no longer match", text.StdOut);
    }

    [Fact]
    public void CorruptBaselineIsAClearError()
    {
        using var dir = new TempDirectory();
        dir.Write("b.json", "{ \"findings\": [ { \"ruleId\": \"x\" } ] }");
        var r = Cli.Run(dir.Path, "scan", ".", "--baseline", "b.json");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("nhiguard: b.json: findings[0] has no 'fingerprint'", r.StdErr.Trim());
        dir.Write("c.json", "{ nope");
        Assert.Equal(2, Cli.Run(dir.Path, "scan", ".", "--baseline", "c.json").ExitCode);
    }
}
