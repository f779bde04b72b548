using NhiGuard.Analyzers.Secrets;
using NhiGuard.Analyzers.Tests.Verification;

namespace NhiGuard.Analyzers.Tests.Secrets;

/// <summary>NHI001 and NHI002 honour the project's <c>.nhiguard.yaml</c> as NHI004 and <c>nhiguard scan</c> do.</summary>
public sealed class ProjectAllowlistInCodeTests
{
    // Sources are /src/Test0.cs, /src/Test1.cs...; the file sits at the root above them.
    private const string Config = "/.nhiguard.yaml";

    [Fact]
    public Task Nhi002SkipsAllowedValuesDisabledRulesAndPaths() => new AnalyzerCase<CredentialFormatInLiteralAnalyzer>
    {
        Sources =
        {
            """
            class Secrets
            {
                const string Sandbox = "xoxb-{{rand:digits:12}}-{{rand:digits:13}}-SANDBOX{{rand:alnum:17}}";
                const string Npm = "{{npm}}";
                const string Slack = "[|xoxb-{{rand:digits:12}}-{{rand:digits:13}}-{{rand:alnum:24}}|]";
            }
            """,
            """
            class Fixtures
            {
                const string Slack = "xoxb-{{rand:digits:12}}-{{rand:digits:13}}-{{rand:alnum:24}}";
            }
            """,
        },
        AdditionalFiles =
        {
            [Config] = "disable: [npm-access-token]\nallow:\n  stopwords: [sandbox]\n  paths: ['src/Test1.cs']\n",
        },
        Messages = { "String literal holds a credential: Slack bot token [slack-bot-token]" },
    }.RunAsync();

    [Fact]
    public Task Nhi001SkipsAllowedValuesAndPaths() => new AnalyzerCase<HardCodedCredentialAnalyzer>
    {
        Sources =
        {
            """
            using System.Net;

            class Smtp
            {
                object Dummy() => new NetworkCredential("svc", "dummy-Pa55word-for-ci");
                object Real() => new NetworkCredential("svc", [|"Tr0ub4dor-and-3"|]);
            }
            """,
            """
            using System.Net;

            class Fixture
            {
                object Any() => new NetworkCredential("svc", "Tr0ub4dor-and-3");
            }
            """,
        },
        AdditionalFiles =
        {
            [Config] = "allow:\n  regexes: ['^dummy-']\n  paths: ['src/Test1.cs']\n",
        },
        Messages = { "Hard-coded credential flows into NetworkCredential(password)" },
    }.RunAsync();
}
