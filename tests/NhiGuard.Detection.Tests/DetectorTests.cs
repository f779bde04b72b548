using NhiGuard.Detection;
using System.Text.RegularExpressions;
using NhiGuard.Scanner.Rules;

namespace NhiGuard.Detection.Tests;

public sealed class DetectorTests
{
    private static readonly Rule Token = new()
    {
        Id = "acme-token",
        Title = "Acme token",
        Keywords = ["acme_"],
        Regex = @"\b(?<secret>acme_[A-Za-z0-9]{20})\b",
        Confidence = Confidence.High,
    };

    private static readonly Rule Generic = new()
    {
        Id = "generic-token",
        Title = "Generic token",
        Keywords = ["token"],
        Regex = @"(?i)token\s*=\s*""(?<secret>[^""\s]{8,})""",
        Confidence = Confidence.Low,
        Entropy = 3.0,
    };

    private static string Value(int seed = 1) => new ExampleTemplate(seed).Expand("acme_{{rand:alnum:20}}");

    private static IReadOnlyList<Finding> Scan(string text, params Rule[] rules) =>
        new Detector(rules.Length == 0 ? [Token, Generic] : rules).Scan(new Fragment(text, "src/app.cs"));

    [Fact]
    public void FindsTheSecretGroupWithExactPosition()
    {
        string secret = Value();
        var f = Assert.Single(Scan($"line one\n  var t = \"{secret}\";\n"));
        Assert.Equal("acme-token", f.RuleId);
        Assert.Equal(secret, f.Secret);
        Assert.Equal((2, 12, 2, 12 + secret.Length), (f.Line, f.Column, f.EndLine, f.EndColumn));
        Assert.Equal(Fingerprint.Compute("acme-token", "src/app.cs", secret), f.Fingerprint);
    }

    [Fact]
    public void KeywordGatesTheRule()
    {
        // The regex would match case-insensitively, but the rule never runs without its keyword.
        var rule = Token with { Keywords = ["zzz_"], Regex = @"(?<secret>acme_[A-Za-z0-9]{20})" };
        Assert.Empty(Scan($"x = {Value()}", rule));
        Assert.Single(Scan($"zzz_ x = {Value()}", rule));
    }

    [Fact]
    public void KeywordsMatchCaseInsensitively() =>
        Assert.Single(Scan($"TOKEN = \"{new ExampleTemplate(3).Expand("{{rand:alnum:24}}")}\"", Generic));

    [Fact]
    public void SpecificRuleWinsOverlapWithGenericRule()
    {
        var findings = Scan($"token = \"{Value()}\"");
        Assert.Equal("acme-token", Assert.Single(findings).RuleId);
    }

    [Fact]
    public void EntropyFloorFiltersLowEntropyValues()
    {
        Assert.Empty(Scan("token = \"aaaaaaaabbbbbbbb\"", Generic));
        Assert.Single(Scan($"token = \"{new ExampleTemplate(5).Expand("{{rand:alnum:24}}")}\"", Generic));
    }

    [Fact]
    public void PlaceholdersAreNeverFindings()
    {
        Assert.Empty(Scan("token = \"${ACME_TOKEN}\"", Generic));
        Assert.Empty(Scan("token = \"<your-token-here>\"", Generic));
    }

    [Fact]
    public void ChecksumDecidesAndRaisesConfidence()
    {
        var rule = new Rule { Id = "gh", Keywords = ["ghp_"], Regex = @"(?<secret>ghp_[A-Za-z0-9]{36})", Checksum = Checksums.GitHub };
        var good = Assert.Single(Scan(new ExampleTemplate(1).Expand("t={{github:ghp}}"), rule));
        Assert.Equal(Confidence.High, good.Confidence);
        Assert.Empty(Scan(new ExampleTemplate(1).Expand("t={{github-badcrc:ghp}}"), rule));
    }

    [Fact]
    public void InlineAllowOnTheLineOrTheLineAbove()
    {
        Assert.Empty(Scan($"var t = \"{Value()}\"; // nhiguard:allow"));
        Assert.Empty(Scan($"# nhiguard:allow-next-line\nvar t = \"{Value()}\";"));
        Assert.Single(Scan($"var t = \"{Value()}\"; // nhiguard:allow-next-line"));
        Assert.Single(Scan($"// nhiguard:allow-next-line\n\nvar t = \"{Value()}\";"));
        var noInline = new Detector([Token], new DetectorOptions { InlineAllows = false });
        Assert.Single(noInline.Scan(new Fragment($"var t = \"{Value()}\"; // nhiguard:allow", "a")));
    }

    [Fact]
    public void RuleAndGlobalAllowlists()
    {
        string secret = Value(9);
        Assert.Empty(Scan($"t={secret}", Token with { Allow = new RuleAllowlist { Stopwords = [secret[5..12].ToUpperInvariant()] } }));
        Assert.Empty(Scan($"t={secret}", Token with { Allow = new RuleAllowlist { Regexes = ["^acme_"] } }));
        Assert.Empty(Scan($"t={secret}", Token with { Allow = new RuleAllowlist { Paths = ["src/**"] } }));
        Assert.Single(Scan($"t={secret}", Token with { Allow = new RuleAllowlist { Paths = ["tests/**"] } }));

        var global = new Detector([Token], new DetectorOptions { Allow = new RuleAllowlist { Regexes = [secret] } });
        Assert.Empty(global.Scan(new Fragment($"t={secret}", "a")));
        var byPath = new Detector([Token], new DetectorOptions { Allow = new RuleAllowlist { Paths = ["*.md"] } });
        Assert.Empty(byPath.Scan(new Fragment($"t={secret}", "docs/README.md")));
    }

    [Fact]
    public void MultiLineSecretsSpanLines()
    {
        var pem = new Rule { Id = "pem", Keywords = ["-----begin"], Regex = @"(?<secret>-----BEGIN KEY-----[\s\S]{1,200}?-----END KEY-----)" };
        var f = Assert.Single(Scan("a\n  -----BEGIN KEY-----\nabc\n-----END KEY-----\n", pem));
        Assert.Equal((2, 3, 4, 18), (f.Line, f.Column, f.EndLine, f.EndColumn));
    }

    [Fact]
    public void FirstLineShiftsReportedLines()
    {
        var f = Assert.Single(new Detector([Token]).Scan(new Fragment($"x\n{Value()}", "a", FirstLine: 41)));
        Assert.Equal(42, f.Line);
    }

    [Fact]
    public void PathOnlyRulesMatchByPath()
    {
        var keystore = new Rule { Id = "keystore", Path = "*.{p12,pfx}" };
        var detector = new Detector([keystore]);
        Assert.Single(detector.Scan(new Fragment("", "certs/app.pfx")));
        Assert.Empty(detector.Scan(new Fragment("", "certs/app.pem")));
    }

    [Fact]
    public void InvalidRegexIsARuleErrorNamingTheRule()
    {
        var e = Assert.Throws<RuleException>(() => new Detector([Token with { Regex = "(unclosed", Origin = "custom.yaml:3:5" }]));
        Assert.Contains("custom.yaml:3:5", e.Message);
        Assert.Contains("acme-token", e.Message);
    }

    [Fact]
    public void DuplicateRuleIdsAreRejected() =>
        Assert.Throws<RuleException>(() => new Detector([Token, Token]));

    [Fact]
    public void PatternsWithLookaroundsStillWorkUnderATimeout()
    {
        var rule = Token with { Regex = @"(?<![A-Za-z])(?<secret>acme_[A-Za-z0-9]{20})(?![A-Za-z0-9])" };
        Assert.Single(Scan($"t={Value()}", rule));
    }

    [Fact]
    public void PathologicalUserRegexDoesNotHang()
    {
        // Catastrophic for a backtracking engine; linear under NonBacktracking.
        var rule = new Rule { Id = "evil", Keywords = ["a"], Regex = "(?<secret>(a+)+b)" };
        Assert.Empty(new Detector([rule]).Scan(new Fragment(new string('a', 5000) + "!", "x")));
    }

    [Fact]
    public void DetectorIsSafeToShareBetweenThreads()
    {
        var detector = new Detector([Token, Generic]);
        string text = string.Join("\n", Enumerable.Range(0, 200).Select(i => $"token = \"{Value(i)}\""));
        int expected = detector.Scan(new Fragment(text, "a")).Count;
        Assert.Equal(200, expected);
        int[] counts = new int[16];
        Parallel.For(0, counts.Length, i => counts[i] = detector.Scan(new Fragment(text, "a")).Count);
        Assert.All(counts, c => Assert.Equal(expected, c));
    }

    [Fact]
    public void RegexesRunAroundEveryKeywordHitEvenFarApart()
    {
        string filler = string.Concat(Enumerable.Repeat("var total = subtotal + shipping; // nothing to see\n", 2000));
        string text = $"token = \"{new ExampleTemplate(21).Expand("{{rand:alnum:24}}")}\"\n{filler}token = \"{new ExampleTemplate(22).Expand("{{rand:alnum:24}}")}\"\n";
        Assert.Equal(2, Scan(text, Generic).Count);
    }

    [Fact]
    public void MatchesThatBeginBeforeTheirKeywordAreFound()
    {
        // The keyword sits in the middle of the match, as Azure's identifiable keys carry "AzSe".
        var rule = new Rule { Id = "mid", Keywords = ["azse"], Regex = @"\b(?<secret>[A-Za-z0-9]{52}AzSe[A-Za-z0-9]{5})\b" };
        string key = new ExampleTemplate(23).Expand("{{rand:alnum:52}}AzSe{{rand:alnum:5}}");
        string text = new string('x', 5000) + "\n" + "key=" + key + "\n";
        Assert.Equal(key, Assert.Single(Scan(text, rule)).Secret);
    }

    [Fact]
    public void MatchesThatSpanFarAreNotCutByWindows()
    {
        var pem = new Rule { Id = "pem", Keywords = ["-----begin"], Regex = @"(?<secret>-----BEGIN KEY-----[\s\S]{1,20000}?-----END KEY-----)" };
        string body = string.Concat(Enumerable.Repeat(new ExampleTemplate(24).Expand("{{rand:b64:64}}") + "\n", 100));
        Assert.Single(Scan("-----BEGIN KEY-----\n" + body + "-----END KEY-----\n", pem));
    }

    // Minified code: a whole bundle on one line, built at run time from seeded random text.
    private static string MinifiedLine(int seed, int length)
    {
        var random = new Random(seed);
        var line = new System.Text.StringBuilder(length);
        while (line.Length < length)
        {
            line.Append("var ").Append((char)('a' + random.Next(26))).Append(random.Next(1000)).Append("=function(e){return e.id};");
        }

        return line.ToString(0, length);
    }

    [Fact]
    public void ASecretInTheMiddleOfAMinifiedLineIsFoundWhereItIs()
    {
        string key = Value(31);
        string before = MinifiedLine(1, 60_000), after = MinifiedLine(2, 60_000);
        string text = "// bundle\n" + before + "config.token = \"" + key + "\";" + after + "\n";
        Finding f = Assert.Single(Scan(text, Generic));
        Assert.Equal((key, 2, before.Length + 17), (f.Secret, f.Line, f.Column));
    }

    [Fact]
    public void EveryHitOnALongLineIsSearchedAndEachSecretFoundOnce()
    {
        string[] keys = [.. Enumerable.Range(40, 5).Select(Value)];
        string text = string.Concat(keys.Select((k, i) => MinifiedLine(i, 20_000) + "token = \"" + k + "\";")) + "\n";
        Assert.Equal(keys, Scan(text, Generic).Select(f => f.Secret));
    }

    [Fact]
    public void AMatchReachingPastACutIsFoundWhole()
    {
        // A value longer than the window after its keyword: cut, then read on to the line's end.
        var rule = Generic with { Regex = @"(?i)token\s*=\s*""(?<secret>[^""\s]{8,})""" };
        string key = new ExampleTemplate(32).Expand("{{rand:alnum:4000}}");
        string text = MinifiedLine(3, 10_000) + "token = \"" + key + "\";" + MinifiedLine(4, 10_000);
        Assert.Equal(key, Assert.Single(Scan(text, rule)).Secret);
    }

    [Fact]
    public void ACutInsideALineDoesNotActAsTheLineStart()
    {
        // The whole line is no KEY=value line ("(" before the key), but a window cut inside the
        // random letters before the key would see one that starts there: the line decides.
        var rule = new Rule
        {
            Id = "line-token",
            Keywords = ["_token"],
            Regex = @"(?m)^[\w.-]*_TOKEN=(?<secret>\w{20,})$",
            Entropy = 3.0,
        };
        var random = new Random(5);
        string Letters(int n) => new([.. Enumerable.Range(0, n).Select(_ => (char)('a' + random.Next(26)))]);
        string wrapped = "(" + Letters(5000) + "DEPLOY_TOKEN=" + Letters(5000);
        string bare = Letters(5000) + "DEPLOY_TOKEN=" + Letters(5000);
        Assert.Empty(Scan(wrapped + "\n", rule));
        Assert.Single(Scan(bare + "\n", rule));
    }

    [Fact]
    public void WhatAPathIsToTheRulesIsDecidedForEachPathAlike()
    {
        // The detector works out once per path which path-limited rules apply and whether the
        // allowlist excludes it; paths taking turns on one detector must each get their own answer.
        var onlyEnv = Token with { Id = "env-token", Path = "**/*.env" };
        var notInTests = Token with { Id = "src-token", Allow = new RuleAllowlist { Paths = ["tests/**"] } };
        var detector = new Detector([onlyEnv, notInTests], new DetectorOptions { Allow = new RuleAllowlist { Paths = ["vendor/**"] } });
        string text = $"t={Value(51)}";
        string[] Found(string path) => [.. detector.Scan(new Fragment(text, path)).Select(f => f.RuleId)];
        for (int round = 0; round < 2; round++)
        {
            Assert.Equal(["env-token"], Found("deploy/app.env"));
            Assert.Equal(["src-token"], Found("src/app.cs"));
            Assert.Empty(Found("tests/app.cs"));
            Assert.Empty(Found("vendor/lib/app.env"));
            Assert.Equal(["env-token"], Found("tests/app.env"));
        }
    }

    [Fact]
    public void ARegexTheInterpreterFindsHardIsReadByTheLinearEngineAndNothingIsSkipped()
    {
        // Catastrophic for the interpreter at the start of the text (2^40 ways to split the a's),
        // with a match after it: the rule starts on the interpreter (cheap to build), runs out
        // of time there, and the linear engine reads the text instead: the match is found.
        var rule = new Rule { Id = "evil-but-found", Keywords = ["a"], Regex = "(?<secret>(a+)+b)" };
        var warnings = new List<string>();
        IReadOnlyList<Finding> found = new Detector([rule]).Scan(new Fragment(new string('a', 40) + "! aab", "x"), warnings.Add);
        Assert.Equal("aab", Assert.Single(found).Secret);
        Assert.Empty(warnings);
    }

    [Fact]
    public void AGenericRuleFindsTheSameWhileItStartsOnTheInterpreterAndAfterItMovesOn()
    {
        // The first 64 KB a NonBacktracking rule reads go through the interpreter; the rest
        // through NonBacktracking. The same text, scanned before and after, gives the same findings.
        var rule = Generic with { Regex = @"(?i)(?:^|[^\w.-])[\w.-]*token[\w.-]*\s*[=:]\s*[""'](?<secret>[^""'\s]{8,})[""']" };
        string text = string.Join("\n", Enumerable.Range(60, 20).Select(i => $"service_token = \"{Value(i)}\""));
        var detector = new Detector([rule]);
        string[] first = [.. detector.Scan(new Fragment(text, "a.cs")).Select(f => $"{f.Line}:{f.Secret}")];
        string filler = string.Concat(Enumerable.Repeat("// a token is read here\n", 4000));
        _ = detector.Scan(new Fragment(filler, "b.cs"));
        string[] after = [.. detector.Scan(new Fragment(text, "a.cs")).Select(f => $"{f.Line}:{f.Secret}")];
        Assert.Equal(20, first.Length);
        Assert.Equal(first, after);
    }

    [Fact]
    public void ARuleWhoseMatchesStayOnALineReadsOnlyTheLinesAroundItsKeyword()
    {
        // The pattern cannot cross a line, so its keyword's line is where a match lies: the
        // same value two lines below the keyword (no keyword on its line) is not read; with the
        // keyword on its line it is. A pattern that may cross lines keeps the 1 KB window.
        var onALine = new Rule { Id = "on-a-line", Keywords = ["acme"], Regex = @"(?<secret>zz[A-Za-z0-9]{20})" };
        var acrossLines = onALine with { Id = "across-lines", Regex = @"(?<secret>zz[A-Za-z0-9]{20})\s*" };
        Assert.Equal(0, RegexShape.MaxLineBreaks(onALine.Regex!));
        Assert.Equal(RegexShape.Unbounded, RegexShape.MaxLineBreaks(acrossLines.Regex!));
        string value = "zz" + new ExampleTemplate(61).Expand("{{rand:alnum:20}}");
        string apart = $"// acme settings\n//\nvalue {value}\n";
        string together = $"// acme settings\n//\nacme value {value}\n";
        Assert.Empty(Scan(apart, onALine));
        Assert.Single(Scan(together, onALine));
        Assert.Single(Scan(apart, acrossLines));
    }

    [Fact]
    public void AMatchThatMayHoldALineBreakIsReadWithTheLinesAboveAndBelowItsKeyword()
    {
        // Kubernetes env lists: the key on one line, its value on the next. The keyword may sit
        // on either of the two lines a match covers.
        var rule = new Rule { Id = "name-value", Keywords = ["acme_key"], Regex = @"(?m)name:[ \t]*ACME_KEY[ \t]*\r?\n[ \t]*value:[ \t]*(?<secret>[A-Za-z0-9]{20})$" };
        var reversed = rule with { Id = "value-name", Keywords = ["acme_key"], Regex = @"(?m)value:[ \t]*(?<secret>[A-Za-z0-9]{20})[ \t]*\r?\n[ \t]*name:[ \t]*ACME_KEY$" };
        Assert.Equal(1, RegexShape.MaxLineBreaks(rule.Regex!));
        string value = new ExampleTemplate(62).Expand("{{rand:alnum:20}}");
        string filler = string.Concat(Enumerable.Repeat("  - name: OTHER\n    value: x\n", 20));
        Assert.Equal(value, Assert.Single(Scan($"{filler}  - name: ACME_KEY\n    value: {value}\n{filler}", rule)).Secret);
        Assert.Equal(value, Assert.Single(Scan($"{filler}  - value: {value}\n    name: ACME_KEY\n{filler}", reversed)).Secret);
    }

    [Fact]
    public void KeywordsOnEveryLineOfAFileAreEachSearchedOnTheirLine()
    {
        // Hits on neighbouring lines join into one run; every line of the run is read.
        string[] keys = [.. Enumerable.Range(70, 30).Select(Value)];
        string text = string.Concat(keys.Select((k, i) => i % 3 == 0 ? $"token = \"{k}\"\n" : $"// token {i}\ntoken = \"{k}\"\n"));
        Assert.Equal(keys, Scan(text, Generic).Select(f => f.Secret));
    }

    [Fact]
    public void OnceTheLinearEngineIsBuiltTheRuleNoLongerStartsOnTheInterpreter()
    {
        var rule = new CompiledRule(Generic with { Regex = @"(?i)(?:^|[^\w.-])[\w.-]*token[\w.-]*\s*[=:]\s*[""'](?<secret>[^""'\s]{8,})[""']" }, TimeSpan.FromSeconds(1));
        Regex first = rule.RegexFor(100)!;
        Assert.True(rule.IsStarter(first));
        Regex linear = rule.Regex!;
        Assert.False(rule.IsStarter(linear));
        Assert.Same(linear, rule.RegexFor(100));
    }

    [Fact]
    public void OnceTheInterpreterHasReadSomeTextTheLinearEngineIsBuiltInTheBackground()
    {
        var rule = new CompiledRule(Generic with { Regex = @"(?i)(?:^|[^\w.-])[\w.-]*token[\w.-]*\s*[=:]\s*[""'](?<secret>[^""'\s]{8,})[""']" }, TimeSpan.FromSeconds(1));
        Assert.True(rule.IsStarter(rule.RegexFor(100)!));
        Thread.Sleep(200);
        Assert.False(rule.IsLinearEngineBuilt); // a small change (a pre-commit scan) builds nothing
        Assert.True(rule.IsStarter(rule.RegexFor((int)CompiledRule.BackgroundBuildAfter)!));
        Assert.True(SpinWait.SpinUntil(() => rule.IsLinearEngineBuilt, TimeSpan.FromSeconds(30)), "the linear engine was not built");
        Assert.False(rule.IsStarter(rule.RegexFor(100)!));
    }

    [Fact]
    public void TheInterpreterStartsARuleOnlyWithinItsTimeBudget()
    {
        var rule = new CompiledRule(Generic with { Regex = @"(?i)(?:^|[^\w.-])[\w.-]*token[\w.-]*\s*[=:]\s*[""'](?<secret>[^""'\s]{8,})[""']" }, TimeSpan.FromSeconds(1));
        Assert.True(rule.IsStarter(rule.RegexFor(100)!));
        rule.ChargeStarter(System.Diagnostics.Stopwatch.Frequency); // a second spent on the interpreter
        Assert.False(rule.IsStarter(rule.RegexFor(100)!));
    }

    [Fact]
    public void TheGenericRulesFindWhatTheirRegexFindsOverTheWholeText()
    {
        // Line windows, the digit check and hit runs decide where each generic rule's regex runs;
        // on keyword-dense text they must find what the regex finds over the whole text (every
        // match holds its keyword). Random lines: assignments with and without digits, Kubernetes
        // name/value pairs, .netrc, code that only mentions the words, blank lines.
        var random = new Random(23);
        var template = new ExampleTemplate(24);
        string[] shapes =
        [
            "var accessToken = \"{{rand:alnum:24}}\";", "client_secret: {{rand:alnum:30}}", "DB_PASSWORD={{rand:alnum:12}}7",
            "  - name: API_TOKEN", "    value: \"{{rand:alnum:20}}\"", "    value: plain-words-only", "machine example.com login deploy",
            "password {{rand:alnum:10}}9", "_logger.LogInformation(\"token refreshed for {Id}\", id);", "// the secret is read from the vault",
            "var secretName = options.SecretName;", "\"auth_token\": \"{{rand:hex:32}}\",", "", "return password;",
            "<add key=\"ClientSecret\" value=\"{{rand:b64:40}}\" />", "export SERVICE_TOKEN={{rand:alnum:32}}",
        ];
        int total = 0;
        foreach (string id in new[] { "generic-token", "generic-secret", "generic-client-secret", "generic-password", "generic-api-key" })
        {
            Rule rule = NhiGuard.Scanner.Rules.RuleCatalog.ReadDirectory(NhiGuard.TestSupport.RepositoryPaths.Rules).Select(d => d.Rule).Single(r => r.Id == id);
            var compiled = new CompiledRule(rule, TimeSpan.FromSeconds(5));
            var allow = new CompiledAllowlist(new RuleAllowlist(), "allowlist", null, TimeSpan.FromSeconds(5));
            for (int round = 0; round < 20; round++)
            {
                string text = string.Join("\n", Enumerable.Range(0, 300).Select(_ => template.Expand(shapes[random.Next(shapes.Length)])));
                string[] expected = [.. new Regex(rule.Regex!, RegexOptions.None, TimeSpan.FromSeconds(10)).Matches(text)
                    .Select(m => m.Groups["secret"] is { Success: true, Length: > 0 } g ? g.Value : null)
                    .OfType<string>()
                    .Where(v => compiled.Accepts(v, allow, out _))];
                string[] found = [.. new Detector([rule]).Scan(new Fragment(text, "app/settings.txt")).Select(f => f.Secret)];
                Assert.Equal(expected, found);
                total += found.Length;
            }
        }

        Assert.True(total > 1000, $"only {total} findings");
    }
}
