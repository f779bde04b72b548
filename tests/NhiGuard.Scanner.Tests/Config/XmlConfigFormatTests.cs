using NhiGuard.Scanner.Config;

namespace NhiGuard.Scanner.Tests.Config;

public sealed class XmlConfigFormatTests
{
    private static IReadOnlyList<ConfigEntry> Read(string text) => XmlConfigFormat.Instance.Read(text);

    [Theory]
    [InlineData("web.config", true)]
    [InlineData("src/App/App.config", true)]
    [InlineData("NuGet.Config", true)]
    [InlineData("nuget.config", true)]
    [InlineData("Web.Release.config", true)]
    [InlineData("pom.xml", false)]
    [InlineData("settings.xml", false)]
    public void HandlesConfigFiles(string path, bool expected) =>
        Assert.Equal(expected, XmlConfigFormat.Instance.Handles(path));

    [Fact]
    public void ReadsAppSettingsAndConnectionStrings()
    {
        string text = """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <appSettings>
                <add key="ApiKey" value="s3cr3t-value" />
                <add value = 'second-fake'   key="Other"/>
              </appSettings>
              <connectionStrings>
                <add name="Default" connectionString="Server=db;User Id=sa;Password=fake-pw;" providerName="System.Data.SqlClient" />
              </connectionStrings>
            </configuration>
            """;
        var entries = Read(text);
        ConfigAssert.Keys(entries, "appSettings:ApiKey", "appSettings:Other", "connectionStrings:Default");
        ConfigAssert.Entry(text, entries, "appSettings:ApiKey", "s3cr3t-value");
        ConfigAssert.Entry(text, entries, "appSettings:Other", "second-fake");
        ConfigAssert.Entry(text, entries, "connectionStrings:Default", "Server=db;User Id=sa;Password=fake-pw;");
    }

    [Fact]
    public void ReadsNuGetPackageSourceCredentials()
    {
        string text = """
            <configuration>
              <packageSources>
                <add key="private" value="https://pkgs.example.test/nuget/v3/index.json" />
              </packageSources>
              <packageSourceCredentials>
                <private>
                  <add key="Username" value="ci" />
                  <add key="ClearTextPassword" value="s3cr3t-value" />
                </private>
              </packageSourceCredentials>
            </configuration>
            """;
        var entries = Read(text);
        ConfigAssert.Entry(text, entries, "packageSources:private", "https://pkgs.example.test/nuget/v3/index.json");
        ConfigAssert.Entry(text, entries, "packageSourceCredentials:private:Username", "ci");
        ConfigAssert.Entry(text, entries, "packageSourceCredentials:private:ClearTextPassword", "s3cr3t-value");
    }

    [Fact]
    public void SecretLikeAttributesAreKeyedByElementPath()
    {
        string text = """
            <configuration>
              <system.net>
                <mailSettings>
                  <smtp from="noreply@example.test">
                    <network host="smtp.example.test" userName="mailer" password="s3cr3t-value" port="587" />
                  </smtp>
                </mailSettings>
              </system.net>
              <system.web>
                <machineKey validationKey="FAKEVALIDATION" decryptionKey="FAKEDECRYPTION" />
              </system.web>
              <runtime>
                <dependentAssembly>
                  <assemblyIdentity name="Newtonsoft.Json" publicKeyToken="30ad4fe6b2a6aeed" />
                </dependentAssembly>
              </runtime>
            </configuration>
            """;
        var entries = Read(text);
        ConfigAssert.Keys(entries, "system.net/mailSettings/smtp/network@password", "system.web/machineKey@validationKey", "system.web/machineKey@decryptionKey");
        ConfigAssert.Entry(text, entries, "system.net/mailSettings/smtp/network@password", "s3cr3t-value");
    }

    [Fact]
    public void SecretLikeElementTextIsAnEntry()
    {
        string text = "<settings>\n  <db>\n    <password>\n      s3cr3t-value\n    </password>\n    <apiToken><![CDATA[cdata<fake>]]></apiToken>\n    <host>db.example.test</host>\n  </db>\n</settings>";
        var entries = Read(text);
        ConfigAssert.Keys(entries, "db/password", "db/apiToken");
        ConfigAssert.Entry(text, entries, "db/password", "s3cr3t-value");
        ConfigAssert.Entry(text, entries, "db/apiToken", "cdata<fake>");
    }

    [Fact]
    public void EntitiesAreUnescapedButTheSpanIsRaw()
    {
        string text = "<configuration><appSettings><add key=\"Conn\" value=\"a&amp;b&lt;&quot;c&#x41;\" /></appSettings><pwd>x&amp;y</pwd></configuration>";
        var entries = Read(text);
        ConfigAssert.Entry(text, entries, "appSettings:Conn", "a&b<\"cA", "a&amp;b&lt;&quot;c&#x41;");
        ConfigAssert.Entry(text, entries, "pwd", "x&y", "x&amp;y");
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\r")]
    [InlineData("\n")]
    public void OffsetsSurviveLineBreaksBomTabsAndNonAscii(string newline)
    {
        string text = "\uFEFF<?xml version=\"1.0\"?>" + newline + "<configuration>" + newline + "<!-- 😀 ünïcødé -->" + newline
            + "\t<appSettings>\t<add\tkey=\"Ä😀\"\tvalue=\"välüe-😀\"/>" + newline + "<add key=\"K\" value=\"second\" /></appSettings>" + newline + "</configuration>";
        var entries = Read(text);
        ConfigAssert.Entry(text, entries, "appSettings:Ä😀", "välüe-😀");
        ConfigAssert.Entry(text, entries, "appSettings:K", "second");
    }

    [Fact]
    public void MalformedXmlKeepsEntriesBeforeTheError()
    {
        string text = "<configuration><appSettings><add key=\"A\" value=\"first\"/><add key=\"B\" value=\"unclosed /></appSettings>";
        var entries = Read(text);
        ConfigAssert.Entry(text, entries, "appSettings:A", "first");
        Assert.Empty(Read("not xml at all"));
        Assert.Empty(Read("<!DOCTYPE x [<!ENTITY e \"boom\">]><x>&e;</x>"));
    }
}
