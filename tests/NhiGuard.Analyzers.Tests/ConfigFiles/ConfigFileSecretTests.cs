using NhiGuard.Analyzers.ConfigFiles;
using NhiGuard.Analyzers.Tests.Verification;

namespace NhiGuard.Analyzers.Tests.ConfigFiles;

/// <summary>NHI004: secrets in configuration files that the build passes to the compiler as AdditionalFiles.</summary>
public sealed class ConfigFileSecretTests
{
    private const string Program = "class Program { static void Main() { } }";

    [Fact]
    public Task AppSettingsJson() => new AnalyzerCase<ConfigFileSecretAnalyzer>
    {
        Sources = { Program },
        AdditionalFiles =
        {
            ["/src/appsettings.Production.json"] =
                """
                {
                  "GitHub": {
                    "Token": "[|{{github:ghp}}|]"
                  },
                  "ConnectionStrings": {
                    "Orders": "Server=sql01.contoso.test;Database=Orders;User Id=app;Password=[|{{rand:alnum:20}}|];"
                  }
                }
                """,
        },
        Messages =
        {
            "Configuration file holds a credential: GitHub personal access token (classic) [github-pat]",
            "Configuration file holds a credential: Password in an ADO.NET connection string [sqlserver-connection-string]",
        },
    }.RunAsync();

    [Fact]
    public Task DotEnvAndWebConfig() => new AnalyzerCase<ConfigFileSecretAnalyzer>
    {
        Sources = { Program },
        AdditionalFiles =
        {
            ["/src/.env"] = "SLACK_BOT_TOKEN=[|xoxb-{{rand:digits:12}}-{{rand:digits:13}}-{{rand:alnum:24}}|]\n",
            ["/src/web.config"] =
                """
                <configuration>
                  <appSettings>
                    <add key="Stripe" value="[|sk_live_{{rand:alnum:24}}|]" />
                  </appSettings>
                </configuration>
                """,
        },
        Messages =
        {
            "Configuration file holds a credential: Slack bot token [slack-bot-token]",
            "Configuration file holds a credential: Stripe live secret key [stripe-secret-key]",
        },
    }.RunAsync();

    // The verifier compares the line and column each diagnostic reports with those of the marked span.
    [Fact]
    public Task TheFindingPointsAtTheLineInTheFile() => new AnalyzerCase<ConfigFileSecretAnalyzer>
    {
        Sources = { Program },
        AdditionalFiles = { ["/src/appsettings.json"] = "{\r\n  \"Logging\": {},\r\n  \"Token\": \"[|{{github:ghp}}|]\"\r\n}\r\n" },
        Messages = { "Configuration file holds a credential: GitHub personal access token (classic) [github-pat]" },
    }.RunAsync();

    [Fact]
    public Task OtherAdditionalFilesAreNotRead() => new AnalyzerCase<ConfigFileSecretAnalyzer>
    {
        Sources = { Program },
        AdditionalFiles =
        {
            ["/src/notes.txt"] = "token {{github:ghp}}",
            ["/src/data.json"] = "{ \"token\": \"{{github:ghp}}\" }",
        },
    }.RunAsync();

    [Fact]
    public Task PlaceholdersAndAllowCommentsAreHonoured() => new AnalyzerCase<ConfigFileSecretAnalyzer>
    {
        Sources = { Program },
        AdditionalFiles =
        {
            ["/src/appsettings.json"] =
                """
                {
                  "AzureAd": { "ClientSecret": "" },
                  "GitHub": { "Token": "${GITHUB_TOKEN}" },
                  "Stripe": { "Key": "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx" }
                }
                """,
            ["/src/.env.local"] = "GITHUB_TOKEN={{github:ghp}} # nhiguard:allow revoked\n",
        },
    }.RunAsync();

    [Fact]
    public Task CatalogRulesCanBeExcluded() => new AnalyzerCase<ConfigFileSecretAnalyzer>
    {
        Sources = { Program },
        AdditionalFiles = { ["/src/appsettings.json"] = "{ \"Token\": \"{{github:ghp}}\" }" },
        Options = { ["nhiguard.excluded_rules"] = "github-pat" },
    }.RunAsync();

    [Theory]
    [InlineData("appsettings.json", true)]
    [InlineData("appsettings.Development.json", true)]
    [InlineData("web.config", true)]
    [InlineData("App.config", true)]
    [InlineData("NuGet.config", true)]
    [InlineData(".env", true)]
    [InlineData(".env.production", true)]
    [InlineData("staging.env", true)]
    [InlineData("settings.json", false)]
    [InlineData("launchSettings.json", false)]
    [InlineData("environment.ts", false)]
    public void ConfigFilesAreRecognisedByName(string name, bool expected) =>
        Assert.Equal(expected, ConfigFileSecretAnalyzer.IsConfigFile("/repo/src/" + name));
}
