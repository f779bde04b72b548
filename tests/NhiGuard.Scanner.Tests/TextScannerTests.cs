using System.Text;
using NhiGuard.Detection;
using NhiGuard.Scanner.Rules;

namespace NhiGuard.Scanner.Tests;

public sealed class TextScannerTests
{
    private static readonly Rule Password = new()
    {
        Id = "test-password",
        Title = "Password",
        Keywords = ["password", "secret"],
        Regex = @"(?i)(?:password|secret)\w*\s*[=:]\s*[""']?(?<secret>[^""'\s]{8,})",
        Confidence = Confidence.Low,
        Entropy = 2.5,
    };

    private static readonly Rule GitHub = new()
    {
        Id = "github-pat",
        Title = "GitHub PAT",
        Keywords = ["ghp_"],
        Regex = @"\b(?<secret>ghp_[0-9A-Za-z]{36})\b",
        Checksum = Checksums.GitHub,
        Confidence = Confidence.High,
    };

    private static readonly TextScanner Scanner = new(new Detector([Password, GitHub]));

    private static string Token(int seed) => new ExampleTemplate(seed).Expand("{{github:ghp}}");

    private static string Pw(int seed) => new ExampleTemplate(seed).Expand("{{rand:alnum:18}}");

    [Fact]
    public void JsonFindingsNameTheirKey()
    {
        string token = Token(1);
        string json = $"{{\n  \"GitHub\": {{\n    \"Token\": \"{token}\"\n  }}\n}}\n";
        var f = Assert.Single(Scanner.Scan("src/appsettings.Production.json", json));
        Assert.Equal("GitHub:Token", f.Key);
        Assert.Equal((3, 15), (f.Line, f.Column));
    }

    [Fact]
    public void FilesWithoutAKnownFormatHaveNoKey()
    {
        var f = Assert.Single(Scanner.Scan("notes.txt", "token " + Token(2)));
        Assert.Null(f.Key);
    }

    [Fact]
    public void XmlAppSettingsValuesAreCheckedUnderTheirKey()
    {
        string pw = Pw(3);
        string xml = $"<configuration>\n  <appSettings>\n    <add key=\"SmtpPassword\" value=\"{pw}\" />\n  </appSettings>\n</configuration>\n";
        var f = Assert.Single(Scanner.Scan("web.config", xml));
        Assert.Equal("test-password", f.RuleId);
        Assert.Equal("appSettings:SmtpPassword", f.Key);
        Assert.Equal(pw, f.Secret);
        Assert.Equal(xml.IndexOf(pw, StringComparison.Ordinal), f.Offset);
        Assert.Equal((3, xml.Split('\n')[2].IndexOf(pw, StringComparison.Ordinal) + 1), (f.Line, f.Column));
    }

    [Fact]
    public void KubernetesSecretDataIsDecodedAndReportedAtTheEncodedValue()
    {
        string pw = Pw(4);
        string encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(pw));
        string yaml = $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: {encoded}\n";
        var f = Assert.Single(Scanner.Scan("deploy/db-secret.yaml", yaml));
        Assert.Equal("data.password", f.Key);
        Assert.Equal(pw, f.Secret);
        Assert.Equal((6, 13, 6, 13 + encoded.Length), (f.Line, f.Column, f.EndLine, f.EndColumn));
    }

    [Fact]
    public void KubernetesSecretWithAnEncodedTokenFindsTheTokenRule()
    {
        string token = Token(5);
        string yaml = $"kind: Secret\ndata:\n  gh: {Convert.ToBase64String(Encoding.UTF8.GetBytes(token))}\n";
        Assert.Equal("github-pat", Assert.Single(Scanner.Scan("k8s/secret.yml", yaml)).RuleId);
    }

    [Fact]
    public void InlineAllowOnTheOriginalLineSilencesStructuredFindings()
    {
        string xml = $"<appSettings>\n  <!-- nhiguard:allow-next-line -->\n  <add key=\"DbPassword\" value=\"{Pw(6)}\" />\n</appSettings>\n";
        Assert.Empty(Scanner.Scan("app.config", xml));
    }

    [Fact]
    public void RawFindingsAreNotReportedTwice()
    {
        string pw = Pw(7);
        var findings = Scanner.Scan("appsettings.json", $"{{ \"Db\": {{ \"Password\": \"{pw}\" }} }}");
        var f = Assert.Single(findings);
        Assert.Equal("Db:Password", f.Key);
    }

    [Fact]
    public void NonSecretKeysAreNotSecondGuessed()
    {
        string xml = $"<appSettings>\n  <add key=\"BuildLabel\" value=\"{Pw(8)}\" />\n</appSettings>\n";
        Assert.Empty(Scanner.Scan("app.config", xml));
    }

    [Fact]
    public void EscapedValuesAreReportedAtTheWholeValue()
    {
        string pw = Pw(9);
        string json = $"{{ \"Password\": \"{pw[..6]}\\u0041{pw[6..]}\" }}";
        var f = Assert.Single(Scanner.Scan("appsettings.json", json));
        Assert.Equal(pw[..6] + "A" + pw[6..], f.Secret);
        Assert.Equal("Password", f.Key);
    }

    [Fact]
    public void DockerAuthIsDecodedToItsPassword()
    {
        string pw = Pw(10);
        string auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("deploy:" + pw));
        string json = $"{{\n  \"auths\": {{\n    \"registry.contoso.io\": {{ \"auth\": \"{auth}\" }}\n  }}\n}}\n";
        var f = Assert.Single(Scanner.Scan("home/.docker/config.json", json));
        Assert.Equal(pw, f.Secret);
        Assert.Equal("auths:registry.contoso.io:auth", f.Key);
        Assert.Equal(json.IndexOf(auth, StringComparison.Ordinal), f.Offset);
    }

    [Fact]
    public void NestedKeysGiveProviderRulesTheirContext()
    {
        // The provider's name is three lines above the key: the raw text gives the rule no
        // "acme ... api key" to match, the key path does.
        var acme = new Rule
        {
            Id = "acme-api-key",
            Keywords = ["acme"],
            Regex = @"(?i:acme)[\w\s.:,""'{-]{0,32}(?i:api[_.-]?key)\s*[:=]\s*""?(?<secret>[0-9a-f]{32})\b",
        };
        string key = new ExampleTemplate(11).Expand("{{rand:hex:32}}");
        string yaml = $"exporters:\n  acme:\n    api:\n      site: acme.example\n      key: {key}\n";
        var f = Assert.Single(new TextScanner(new Detector([acme])).Scan("otel/collector.yaml", yaml));
        Assert.Equal("exporters.acme.api.key", f.Key);
        Assert.Equal((5, 12), (f.Line, f.Column));
    }
}
