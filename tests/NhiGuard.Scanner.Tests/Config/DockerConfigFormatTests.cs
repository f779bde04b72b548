using System.Text;
using NhiGuard.Scanner.Config;

namespace NhiGuard.Scanner.Tests.Config;

public sealed class DockerConfigFormatTests
{
    private static string Base64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    [Fact]
    public void DecodesAuthsToUserAndPassword()
    {
        string auth = Base64("builder:s3cr3t-value");
        string text = $$"""
            {
              "auths": {
                "registry.example.test": { "auth": "{{auth}}" },
                "localhost:5000": { "auth": "{{Base64("me:fake-pass")}}", "email": "me@example.test" }
              },
              "credsStore": "desktop"
            }
            """;
        var entries = DockerConfigFormat.DockerDirectory.Read(text);
        ConfigAssert.Entry(text, entries, "auths:registry.example.test:auth", auth);
        ConfigAssert.Entry(text, entries, "auths:registry.example.test:auth", "builder:s3cr3t-value", auth, decoded: true);
        ConfigAssert.Entry(text, entries, "auths:localhost:5000:auth", "me:fake-pass", Base64("me:fake-pass"), decoded: true);
        ConfigAssert.Entry(text, entries, "credsStore", "desktop");
        ConfigAssert.Entry(text, entries, "auths:localhost:5000:email", "me@example.test");
    }

    [Fact]
    public void UnpaddedAuthIsDecoded()
    {
        string auth = Base64("ab:cd").TrimEnd('=');
        string text = "{\"auths\":{\"r\":{\"auth\":\"" + auth + "\"}}}";
        ConfigAssert.Entry(text, DockerConfigFormat.AnyConfigJson.Read(text), "auths:r:auth", "ab:cd", auth, decoded: true);
    }

    [Fact]
    public void InvalidBase64KeepsOnlyTheRawEntry()
    {
        string text = """{"auths":{"r":{"auth":"!!not base64!!"}}}""";
        var entries = DockerConfigFormat.DockerDirectory.Read(text);
        Assert.DoesNotContain(entries, e => e.Decoded);
        ConfigAssert.Entry(text, entries, "auths:r:auth", "!!not base64!!");
    }

    [Fact]
    public void PlainConfigJsonWithoutAuthsIsNotRead()
    {
        Assert.Empty(DockerConfigFormat.AnyConfigJson.Read("""{ "name": "some tool", "token": "x" }"""));
        Assert.Single(DockerConfigFormat.DockerDirectory.Read("""{ "credsStore": "desktop" }"""));
    }

    [Theory]
    [InlineData(".docker/config.json", true, true)]
    [InlineData("home/ci/.docker/config.json", true, true)]
    [InlineData("tools/config.json", false, true)]
    [InlineData("tools/appsettings.json", false, false)]
    public void HandlesDockerPaths(string path, bool dockerDirectory, bool anyConfigJson)
    {
        Assert.Equal(dockerDirectory, DockerConfigFormat.DockerDirectory.Handles(path));
        Assert.Equal(anyConfigJson, DockerConfigFormat.AnyConfigJson.Handles(path));
    }
}
