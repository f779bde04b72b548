using NhiGuard.Scanner.Config;

namespace NhiGuard.Scanner.Tests.Config;

public sealed class TfvarsConfigFormatTests
{
    private static IReadOnlyList<ConfigEntry> Read(string text) => TfvarsConfigFormat.Instance.Read(text);

    [Theory]
    [InlineData("terraform.tfvars", true)]
    [InlineData("env/prod.auto.tfvars", true)]
    [InlineData("main.tf", false)]
    public void HandlesTfvars(string path, bool expected) =>
        Assert.Equal(expected, TfvarsConfigFormat.Instance.Handles(path));

    [Fact]
    public void ReadsAttributesObjectsAndLists()
    {
        string text = """
            # comment
            region   = "eu-west-1"
            count    = 3
            enabled  = true
            db = {
              user     = "admin"
              password = "s3cr3t-value" // trailing comment
              "quoted key": "colon separated"
            }
            tokens = ["first-fake", "second-fake",
              { secret = "in-object" },
            ]
            inline = { a = "x", b = -1, c = "y" }
            /* block
               comment = "no" */
            after = "kept"
            """;
        var entries = Read(text);
        ConfigAssert.Keys(entries, "region", "db.user", "db.password", "db.quoted key", "tokens.0", "tokens.1", "tokens.2.secret", "inline.a", "inline.c", "after");
        ConfigAssert.Entry(text, entries, "db.password", "s3cr3t-value");
        ConfigAssert.Entry(text, entries, "tokens.2.secret", "in-object");
    }

    [Fact]
    public void BlocksWithLabelsNest()
    {
        string text = "provider \"aws\" {\n  secret_key = \"fake-secret\"\n}\nsettings {\n  token = \"t\"\n}\n";
        var entries = Read(text);
        ConfigAssert.Keys(entries, "provider.aws.secret_key", "settings.token");
    }

    [Fact]
    public void EscapesTemplatesAndHeredocs()
    {
        string text = "a = \"x\\\"y\\n${lookup(\"m\", \"k\")}z\"\nkey = <<-EOT\n    line one\n    line two\n    EOT\nnext = \"n\"\n";
        var entries = Read(text);
        ConfigAssert.Entry(text, entries, "a", "x\"y\n${lookup(\"m\", \"k\")}z", "x\\\"y\\n${lookup(\"m\", \"k\")}z");
        ConfigAssert.Entry(text, entries, "key", "    line one\n    line two");
        ConfigAssert.Entry(text, entries, "next", "n");
    }

    [Fact]
    public void ExpressionsAreSkipped()
    {
        string text = "list = concat([\"a\"], [\"b\"])\nmap = tomap({ x = \"y\" })\nneg = -1.5\nafter = \"kept\"\n";
        ConfigAssert.Keys(Read(text), "after");
    }

    [Fact]
    public void MalformedInputKeepsWhatWasRead()
    {
        string text = "a = \"first\"\nb = { c = \"second\"\nd = \"unterminated\n";
        var entries = Read(text);
        ConfigAssert.Entry(text, entries, "a", "first");
        ConfigAssert.Entry(text, entries, "b.c", "second");
        Assert.Empty(Read("}}}] = = \"x\""));
    }
}
