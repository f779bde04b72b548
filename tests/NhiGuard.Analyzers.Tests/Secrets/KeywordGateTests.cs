using NhiGuard.Analyzers.Tests.Verification;
using NhiGuard.Detection;

namespace NhiGuard.Analyzers.Tests.Secrets;

/// <summary>
/// The keyword gate in front of the detector (NHI002 asks it about every string literal, through
/// <see cref="Detector.HasKeyword"/> and <see cref="Detector.HasRulesWithoutKeywordsAt"/>): it may
/// let through a text the detector finds nothing in, never the other way round.
/// </summary>
public sealed class KeywordGateTests
{
    private const string SourcePath = "src/Contoso/Settings.cs";

    public static TheoryData<Confidence> Levels => new() { Confidence.Low, Confidence.Medium, Confidence.High };

    [Theory]
    [MemberData(nameof(Levels))]
    public void EverySecretExampleTheDetectorFindsPassesTheGate(Confidence minimum)
    {
        Rule[] rules = BuiltInRules.All.Where(r => r.Confidence >= minimum).ToArray();
        var detector = new Detector(rules);
        var gate = new Gate(detector);
        var dropped = new List<string>();
        foreach (Rule rule in rules)
        {
            string path = rule.Path is null ? SourcePath : ExamplePath(rule);
            foreach (string example in rule.SecretExamples.Concat(rule.NotSecretExamples).Select(TestCompilation.Expand))
            {
                // As written, inside a longer literal, and in the other case (the keywords are case-insensitive).
                foreach (string text in new[] { example, $"prefix {example} suffix", example.ToUpperInvariant(), example.ToLowerInvariant() })
                {
                    if (detector.Scan(new Fragment(text, path)).Count > 0 && !gate.MayMatch(text, path))
                    {
                        dropped.Add($"{rule.Id}: {text}");
                    }
                }
            }
        }

        Assert.Empty(dropped);
    }

    [Theory]
    [InlineData("GHP_")]
    [InlineData("ghp_")]
    [InlineData("Ghp_")]
    [InlineData("xyz sk_LIVE_")]
    [InlineData("Password=")]
    public void KeywordsMatchInAnyCase(string text) =>
        Assert.True(GateOf(Confidence.Medium).MayMatch(text, SourcePath));

    [Theory]
    [InlineData("")]
    [InlineData("x")]
    [InlineData("Hello, world")]
    [InlineData("Value cannot be null.")]
    [InlineData("yyyy-MM-dd")]
    public void TextsWithoutAKeywordAreStopped(string text) =>
        Assert.False(GateOf(Confidence.Medium).MayMatch(text, SourcePath));

    [Fact]
    public void AKeywordlessRuleWhosePathMatchesLetsEveryTextThrough()
    {
        // pkcs12-keystore has no keywords and applies to *.pfx: the gate cannot judge the text there.
        Rule keystore = BuiltInRules.All.Single(r => r.Id == "pkcs12-keystore");
        var gate = new Gate(new Detector([keystore]));

        Assert.True(gate.MayMatch("Hello, world", "certs/signing.pfx"));
        Assert.False(gate.MayMatch("Hello, world", SourcePath));
    }

    [Theory]
    [InlineData('\u212A')] // Kelvin sign: lower-cases to 'k'
    [InlineData('\u0130')] // capital I with dot: lower-cases to 'i'
    [InlineData('\u0131')] // dotless i: upper-cases to 'I'
    [InlineData('\u017F')] // long s: upper-cases to 'S'
    public void NonAsciiLookalikesAgreeWithTheDetector(char lookalike)
    {
        Rule[] rules = BuiltInRules.All.Where(r => r.Confidence >= Confidence.Medium).ToArray();
        var detector = new Detector(rules);
        var gate = new Gate(detector);
        char ascii = char.ToLowerInvariant(lookalike) < 128 ? char.ToLowerInvariant(lookalike) : char.ToLowerInvariant(char.ToUpperInvariant(lookalike));
        var dropped = new List<string>();
        foreach (Rule rule in rules.Where(r => r.Path is null))
        {
            foreach (string example in rule.SecretExamples.Select(TestCompilation.Expand))
            {
                // The look-alike in each place of the example where its ASCII twin stands.
                string lower = example.ToLowerInvariant();
                for (int i = lower.IndexOf(ascii); i >= 0; i = lower.IndexOf(ascii, i + 1))
                {
                    string text = example.Substring(0, i) + lookalike + example.Substring(i + 1);
                    if (detector.Scan(new Fragment(text, SourcePath)).Count > 0 && !gate.MayMatch(text, SourcePath))
                    {
                        dropped.Add($"{rule.Id}: {text}");
                    }
                }
            }
        }

        Assert.Empty(dropped);
    }

    private static Gate GateOf(Confidence minimum) => new(new Detector(BuiltInRules.All.Where(r => r.Confidence >= minimum)));

    // What CatalogDetector asks before it scans a literal.
    private sealed class Gate(Detector detector)
    {
        public bool MayMatch(string text, string path) => detector.HasRulesWithoutKeywordsAt(path) || detector.HasKeyword(text);
    }

    // A path the rule's glob matches, for the few rules that only apply to some files.
    private static string ExamplePath(Rule rule) =>
        rule.Id switch
        {
            "pkcs12-keystore" => "certs/signing.pfx",
            "java-keystore" => "app/release.keystore",
            "pgpass-password" => "home/.pgpass",
            _ => new[] { "config/.env", "config/settings.json", ".npmrc", ".pypirc", "settings.xml", ".docker/config.json", "main.tf", "id_rsa.ppk" }
                .FirstOrDefault(p => new Glob(rule.Path!).IsMatch(p)) ?? SourcePath,
        };
}
