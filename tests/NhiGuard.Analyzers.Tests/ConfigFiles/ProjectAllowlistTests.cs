using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using NhiGuard.Analyzers.ConfigFiles;
using NhiGuard.Analyzers.Tests.Verification;

namespace NhiGuard.Analyzers.Tests.ConfigFiles;

/// <summary>The <c>allow:</c> and <c>disable:</c> of a project's <c>.nhiguard.yaml</c>, read without a YAML library.</summary>
public sealed class ProjectAllowlistTests
{
    private const string Program = "class Program { static void Main() { } }";

    [Fact]
    public void TheReadmeExampleIsRead()
    {
        NhiGuardYamlSettings settings = NhiGuardYaml.Read(
            """
            extend: true                 # default: built-in rules plus the ones below; false: only these
            disable: [generic-password]  # built-in rule ids to turn off (an unknown id is an error)
            rules:                       # custom rules, same schema as rules/*.yaml; a built-in id replaces it
              - id: acme-api-key
                title: Acme API key
                severity: high
                keywords: [acme_]
                regex: '\b(?<secret>acme_[a-z0-9]{32})\b'
                allow:
                  stopwords: [not-this-one]
                examples:                # checked when the file is loaded
                  secret: ['key = acme_{{rand:lower:32}}']
                  not-secret: ['key = acme_short']
            allow:
              paths: ['tests/fixtures/**', '*.snap']   # gitignore-style globs
              regexes: ['^dummy-']                     # tested against the secret
              stopwords: [sandbox]                     # case-insensitive substrings of the secret
            """);

        Assert.Equal(new[] { "tests/fixtures/**", "*.snap" }, settings.Paths);
        Assert.Equal(new[] { "^dummy-" }, settings.Regexes);
        Assert.Equal(new[] { "sandbox" }, settings.Stopwords);
        Assert.Equal(new[] { "generic-password" }, settings.Disable);
    }

    [Fact]
    public void BlockListsQuotesAndComments()
    {
        NhiGuardYamlSettings settings = NhiGuardYaml.Read(
            "# team settings\r\n"
            + "disable:\r\n"
            + "- github-pat\r\n"
            + "- 'slack-bot-token'   # compact list at the key's indentation\r\n"
            + "allow:\r\n"
            + "    regexes:\r\n"
            + "      - '^it''s-#1$'\r\n"
            + "      - \"^a\\\\d+\\tb$\" # comment\r\n"
            + "      - ^plain#hash$\r\n"
            + "    stopwords: [ it's, \"two words\", 'x, y' ,fixture ]\r\n"
            + "    paths: [\r\n"
            + "      'a/**',\r\n"
            + "      b.txt ]\r\n");

        Assert.Equal(new[] { "github-pat", "slack-bot-token" }, settings.Disable);
        Assert.Equal(new[] { "^it's-#1$", "^a\\d+\tb$", "^plain#hash$" }, settings.Regexes);
        Assert.Equal(new[] { "it's", "two words", "x, y", "fixture" }, settings.Stopwords);
        Assert.Equal(new[] { "a/**", "b.txt" }, settings.Paths);
    }

    [Fact]
    public void CompactBlockListsAndAByteOrderMark()
    {
        NhiGuardYamlSettings settings = NhiGuardYaml.Read("\uFEFFallow:\n  paths:\n  - a/**\n  - 'b'\n  stopwords:\n    - s\n    -   t   \nextend: false\n");

        Assert.Equal(new[] { "a/**", "b" }, settings.Paths);
        Assert.Equal(new[] { "s", "t" }, settings.Stopwords);
    }

    [Theory]
    [InlineData("allow: [a, b]")]
    [InlineData("allow:\n  paths: ['unclosed\n")]
    [InlineData("allow:\n  paths: [a, [nested]]\n")]
    [InlineData("allow:\n  paths: tests/**\n")]
    [InlineData("allow: {paths: ['a/**']}")]
    [InlineData("  allow:\n    paths: ['a/**']\n")]
    [InlineData("rules:\n  - id: x\n    allow:\n      paths: ['a/**']\n")]
    [InlineData("allow:\n\tpaths: ['a/**']\n")]
    [InlineData("{{{ ::: ]]] '\"")]
    [InlineData("\"allow\":\n  paths: [\"\\q\"]\n")]
    [InlineData("")]
    public void WhatIsNotUnderstoodAllowsNothing(string yaml)
    {
        NhiGuardYamlSettings settings = NhiGuardYaml.Read(yaml);

        Assert.Empty(settings.Paths);
        Assert.Empty(settings.Regexes);
        Assert.Empty(settings.Stopwords);
        Assert.Empty(settings.Disable);
    }

    // Any prefix of a valid file, and any file with a character dropped, reads without throwing.
    [Fact]
    public void TheReaderNeverThrows()
    {
        const string yaml = "disable: [a, 'b''c', \"d\\u0041\"]\nallow:\n  paths:\n  - 'x/**'   # c\n  - \"y\"\n  regexes: [ '^z' ,\n    w ]\n  stopwords:\n    - s\n";
        for (int i = 0; i <= yaml.Length; i++)
        {
            _ = NhiGuardYaml.Read(yaml.Substring(0, i));
            _ = NhiGuardYaml.Read(yaml.Remove(Math.Min(i, yaml.Length - 1), 1));
        }
    }

    [Fact]
    public void PathsAreRelativeToTheConfigFilesFolder()
    {
        ProjectAllowlist allow = For("/repo/.nhiguard.yaml", "allow:\n  paths: ['tests/fixtures/**', '*.snap', '/src/appsettings.Development.json']\n");

        Assert.True(allow.AllowsPath("/repo/tests/fixtures/appsettings.json"));
        Assert.True(allow.AllowsPath("/repo/src/deep/x.snap"));
        Assert.True(allow.AllowsPath("/repo/src/appsettings.Development.json"));
        Assert.False(allow.AllowsPath("/repo/src/tests/fixtures/a.json"));
        Assert.False(allow.AllowsPath("/repo/src/appsettings.json"));
        Assert.False(allow.AllowsPath("/other/tests/fixtures/a.json"));
        Assert.False(allow.AllowsPath("/repository/x.snap"));
    }

    [Fact]
    public void WindowsPathsAreComparedWithForwardSlashesAndIgnoringCase()
    {
        ProjectAllowlist allow = For(@"C:\Repo\.nhiguard.yaml", "allow:\n  paths: ['tests/**']\n");

        Assert.True(allow.AllowsPath(@"c:\repo\tests\appsettings.json"));
        Assert.False(allow.AllowsPath(@"C:\Repo\src\appsettings.json"));
    }

    [Fact]
    public void SecretsAreAllowedByStopwordOrRegex()
    {
        ProjectAllowlist allow = For("/repo/.nhiguard.yaml", "allow:\n  regexes: ['^dummy-', '([invalid']\n  stopwords: [Sandbox, '']\n");

        Assert.True(allow.AllowsSecret("dummy-123"));
        Assert.True(allow.AllowsSecret("key-SANDBOX-1"));
        Assert.False(allow.AllowsSecret("a-dummy-123"));
        Assert.False(allow.AllowsPath("/repo/x"));
    }

    [Fact]
    public void DisabledRulesAreCatalogIds()
    {
        ProjectAllowlist allow = For("/repo/.nhiguard.yaml", "disable:\n  - github-pat\n");

        Assert.True(allow.Disables("github-pat"));
        Assert.False(allow.Disables("github-fine-grained-pat"));
        Assert.False(allow.AllowsSecret("ghp_x"));
    }

    [Fact]
    public void WithoutAConfigFileNothingIsAllowed()
    {
        var options = new AnalyzerOptions(ImmutableArray.Create<AdditionalText>(new TestAdditionalText("/repo/nhiguard.yaml", "disable: [github-pat]")));

        ProjectAllowlist allow = ProjectAllowlist.For(options, CancellationToken.None);

        Assert.Same(ProjectAllowlist.None, allow);
        Assert.False(allow.Disables("github-pat"));
    }

    [Fact]
    public void AConfigFileOfAnotherNameIsReadWhenThePackageMarksIt()
    {
        var file = new TestAdditionalText("/repo/ci/nhiguard.yml", "disable: [github-pat]");
        var options = new AnalyzerOptions(
            ImmutableArray.Create<AdditionalText>(file),
            new TestConfigOptionsProvider(new Dictionary<string, string> { [ProjectAllowlist.MetadataKey] = "true" }));

        Assert.True(ProjectAllowlist.For(options, CancellationToken.None).Disables("github-pat"));
    }

    [Fact]
    public void TheFileIsReadOnceAndAgainWhenItChanges()
    {
        var file = new ChangingText("/repo/.nhiguard.yaml", "disable: [a]");
        var options = new AnalyzerOptions(ImmutableArray.Create<AdditionalText>(file));

        Assert.True(ProjectAllowlist.For(options, CancellationToken.None).Disables("a"));
        Assert.True(ProjectAllowlist.For(options, CancellationToken.None).Disables("a"));
        file.Text = "disable: [b]";
        ProjectAllowlist changed = ProjectAllowlist.For(options, CancellationToken.None);

        Assert.False(changed.Disables("a"));
        Assert.True(changed.Disables("b"));
    }

    // NHI004 with the project's .nhiguard.yaml.
    [Fact]
    public Task AnAllowedValueIsNotReportedAndOthersStillAre() => new AnalyzerCase<ConfigFileSecretAnalyzer>
    {
        Sources = { Program },
        AdditionalFiles =
        {
            ["/repo/.nhiguard.yaml"] = "allow:\n  regexes: ['^sk_live_0{4}']  # the documented test key\n",
            ["/repo/src/appsettings.json"] =
                """
                {
                  "Stripe": { "Key": "sk_live_0000{{rand:alnum:20}}" },
                  "Billing": { "Key": "[|sk_live_{{rand:alnum:24}}|]" }
                }
                """,
        },
        Messages = { "Configuration file holds a credential: Stripe live secret key [stripe-secret-key]" },
    }.RunAsync();

    [Fact]
    public Task AStopwordAllowsTheValue() => new AnalyzerCase<ConfigFileSecretAnalyzer>
    {
        Sources = { Program },
        AdditionalFiles =
        {
            ["/repo/.nhiguard.yaml"] = "allow:\n  stopwords:\n    - fixture\n",
            ["/repo/src/appsettings.json"] =
                """
                {
                  "Smtp": { "Password": "FIXTURE{{rand:alnum:16}}9" },
                  "Ftp": { "Password": "[|{{rand:alnum:16}}9|]" }
                }
                """,
        },
        Messages = { "Configuration file holds a credential: Password [generic-password]" },
    }.RunAsync();

    [Fact]
    public Task APathGlobAllowsTheFile() => new AnalyzerCase<ConfigFileSecretAnalyzer>
    {
        Sources = { Program },
        AdditionalFiles =
        {
            ["/repo/.nhiguard.yaml"] = "allow:\n  paths: ['tests/fixtures/**']\n",
            ["/repo/tests/fixtures/appsettings.json"] = "{ \"Token\": \"{{github:ghp}}\" }",
            ["/repo/src/appsettings.json"] = "{ \"Token\": \"[|{{github:ghp}}|]\" }",
        },
        Messages = { "Configuration file holds a credential: GitHub personal access token (classic) [github-pat]" },
    }.RunAsync();

    [Fact]
    public Task ADisabledCatalogRuleIsNotReported() => new AnalyzerCase<ConfigFileSecretAnalyzer>
    {
        Sources = { Program },
        AdditionalFiles =
        {
            ["/repo/.nhiguard.yaml"] = "disable: [github-pat]\n",
            ["/repo/src/.env"] = "GITHUB_TOKEN={{github:ghp}}\nSLACK_BOT_TOKEN=[|xoxb-{{rand:digits:12}}-{{rand:digits:13}}-{{rand:alnum:24}}|]\n",
        },
        Messages = { "Configuration file holds a credential: Slack bot token [slack-bot-token]" },
    }.RunAsync();

    [Fact]
    public Task AMalformedConfigFileAllowsNothingAndDoesNotFail() => new AnalyzerCase<ConfigFileSecretAnalyzer>
    {
        Sources = { Program },
        AdditionalFiles =
        {
            ["/repo/.nhiguard.yaml"] = "allow:\n  paths: ['src/**'\n  regexes: ['(unclosed']\n  stopwords: ghp\ndisable: {github-pat}\n",
            ["/repo/src/appsettings.json"] = "{ \"Token\": \"[|{{github:ghp}}|]\" }",
        },
        Messages = { "Configuration file holds a credential: GitHub personal access token (classic) [github-pat]" },
    }.RunAsync();

    private static ProjectAllowlist For(string path, string yaml) =>
        ProjectAllowlist.For(new AnalyzerOptions(ImmutableArray.Create<AdditionalText>(new TestAdditionalText(path, yaml))), CancellationToken.None);

    private sealed class ChangingText(string path, string text) : AdditionalText
    {
        private Microsoft.CodeAnalysis.Text.SourceText _text = Microsoft.CodeAnalysis.Text.SourceText.From(text);

        public string Text
        {
            set => _text = Microsoft.CodeAnalysis.Text.SourceText.From(value);
        }

        public override string Path { get; } = path;

        public override Microsoft.CodeAnalysis.Text.SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }
}
