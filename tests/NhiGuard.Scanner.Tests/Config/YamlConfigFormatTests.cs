using System.Text;
using NhiGuard.Scanner.Config;

namespace NhiGuard.Scanner.Tests.Config;

public sealed class YamlConfigFormatTests
{
    private static IReadOnlyList<ConfigEntry> Read(string text) => YamlConfigFormat.Instance.Read(text);

    private static string Base64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    [Theory]
    [InlineData("application.yml", true)]
    [InlineData("deploy/secret.YAML", true)]
    [InlineData("docker-compose.yaml", true)]
    [InlineData("rules/aws.yml", true)]
    [InlineData("values.json", false)]
    public void HandlesYamlFiles(string path, bool expected) =>
        Assert.Equal(expected, YamlConfigFormat.Instance.Handles(path));

    [Fact]
    public void KeysAreJoinedWithDots()
    {
        string text = """
            spring:
              datasource:
                url: jdbc:postgresql://db/app
                password: s3cr3t-value
            clients:
              - name: one
                secret: "first fake"
              - 'second'
            port: 8080
            empty:
            """;
        var entries = Read(text);
        ConfigAssert.Keys(entries, "spring.datasource.url", "spring.datasource.password", "clients.0.name", "clients.0.secret", "clients.1", "port");
        ConfigAssert.Entry(text, entries, "spring.datasource.password", "s3cr3t-value");
        ConfigAssert.Entry(text, entries, "clients.0.secret", "first fake");
        ConfigAssert.Entry(text, entries, "clients.1", "second");
    }

    [Fact]
    public void QuotedFlowAndBlockScalars()
    {
        string text = "a: \"dq \\\"esc\\\" \\u0041\"\nb: 'it''s'\nc: {x: fx, y: [p, 'q']}\nd: |\n  line one\n  line two\ne: >-\n  folded\n  text\nf: &anchor !!str tagged\n";
        var entries = Read(text);
        ConfigAssert.Entry(text, entries, "a", "dq \"esc\" A", "dq \\\"esc\\\" \\u0041");
        ConfigAssert.Entry(text, entries, "b", "it's", "it''s");
        ConfigAssert.Entry(text, entries, "c.x", "fx");
        ConfigAssert.Entry(text, entries, "c.y.1", "q");
        ConfigAssert.Entry(text, entries, "d", "line one\nline two\n", "line one\n  line two");
        ConfigAssert.Entry(text, entries, "e", "folded text", "folded\n  text");
        ConfigAssert.Entry(text, entries, "f", "tagged");
    }

    [Fact]
    public void MultipleDocumentsAndNonAsciiOffsets()
    {
        string text = "\uFEFFfirst: 😀 ünï\n---\nsecond:\n  key: \"välüe 😀\"\n...\n---\nthird: x\n";
        var entries = Read(text);
        ConfigAssert.Entry(text, entries, "first", "😀 ünï");
        ConfigAssert.Entry(text, entries, "second.key", "välüe 😀");
        ConfigAssert.Entry(text, entries, "third", "x");
    }

    [Fact]
    public void KubernetesSecretDataIsDecoded()
    {
        string encoded = Base64("s3cr3t-value");
        string text = $"""
            apiVersion: v1
            metadata:
              name: db
            data:
              password: {encoded}
              binary: {Convert.ToBase64String([0xff, 0xfe, 0x00])}
            stringData:
              token: plain-fake
            kind: Secret
            ---
            kind: ConfigMap
            data:
              password: {encoded}
            """;
        var entries = Read(text);
        var decoded = entries.Where(e => e.Decoded).ToList();
        Assert.Single(decoded);
        ConfigAssert.Entry(text, entries, "data.password", "s3cr3t-value", encoded, decoded: true);
        ConfigAssert.Entry(text, entries, "stringData.token", "plain-fake");
        // Binary data and the ConfigMap's value stay as written.
        Assert.Equal(2, entries.Count(e => e.Key == "data.password"));
        Assert.Single(entries, e => e.Key == "data.binary" && !e.Decoded);
    }

    [Fact]
    public void ComposeEnvironmentListsAreKeyedByVariable()
    {
        string text = """
            services:
              db:
                image: postgres
                environment:
                  - POSTGRES_USER=app
                  - "POSTGRES_PASSWORD=s3cr3t-value"
                  - 'EMPTY='
                  - NO_VALUE
              api:
                environment:
                  API_TOKEN: fake-token
            """;
        var entries = Read(text);
        ConfigAssert.Entry(text, entries, "services.db.environment.POSTGRES_USER", "app");
        ConfigAssert.Entry(text, entries, "services.db.environment.POSTGRES_PASSWORD", "s3cr3t-value");
        ConfigAssert.Entry(text, entries, "services.db.environment.EMPTY", "");
        ConfigAssert.Entry(text, entries, "services.db.environment.3", "NO_VALUE");
        ConfigAssert.Entry(text, entries, "services.api.environment.API_TOKEN", "fake-token");
    }

    [Fact]
    public void ComposeEnvironmentWithEscapesSpansTheValuePart()
    {
        string text = "services:\n  s:\n    environment:\n      - \"PASS=a\\tb\"\n";
        ConfigAssert.Entry(text, Read(text), "services.s.environment.PASS", "a\tb", "a\\tb");
    }

    [Fact]
    public void ComplexKeysAndAliasesDoNotBreakPaths()
    {
        string text = "base: &b\n  user: u\n? [complex, key]\n: ignored\ncopy: *b\nafter: kept\n";
        var entries = Read(text);
        ConfigAssert.Keys(entries, "base.user", "after");
    }

    [Fact]
    public void MalformedYamlKeepsEntriesBeforeTheError()
    {
        string text = "good: value\nnested:\n  ok: yes\n bad: [unclosed\n";
        var entries = Read(text);
        ConfigAssert.Entry(text, entries, "good", "value");
        Assert.Empty(Read("\t- : : ["));
        Assert.Empty(Read("just a scalar"));
    }
}
