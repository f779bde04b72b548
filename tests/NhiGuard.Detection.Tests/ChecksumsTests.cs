using System.Text;
using NhiGuard.Detection;
using NhiGuard.Scanner.Rules;

namespace NhiGuard.Detection.Tests;

public sealed class ChecksumsTests
{
    [Fact]
    public void Crc32MatchesTheStandardCheckValue() =>
        Assert.Equal(0xCBF43926u, Checksums.Crc32(Encoding.ASCII.GetBytes("123456789")));

    [Theory]
    [InlineData(0u, "000000")]
    [InlineData(61u, "00000z")]
    [InlineData(62u, "000010")]
    [InlineData(uint.MaxValue, "4gfFC3")]
    public void Base62EncodesWithZeroPadding(uint value, string expected) =>
        Assert.Equal(expected, Checksums.Base62Encode(value, 6));

    [Theory]
    [InlineData("ghp", Checksums.GitHub)]
    [InlineData("gho", Checksums.GitHub)]
    [InlineData("ghs", Checksums.GitHub)]
    public void GeneratedGitHubTokensValidateAndMutantsDoNot(string prefix, string validator)
    {
        for (int seed = 0; seed < 50; seed++)
        {
            string token = new ExampleTemplate(seed).Expand($"{{{{github:{prefix}}}}}");
            Assert.True(Checksums.IsValid(validator, token), token);

            char flipped = token[10] == 'a' ? 'b' : 'a';
            string mutant = token[..10] + flipped + token[11..];
            Assert.False(Checksums.IsValid(validator, mutant));

            string bad = new ExampleTemplate(seed).Expand($"{{{{github-badcrc:{prefix}}}}}");
            Assert.False(Checksums.IsValid(validator, bad));
        }
    }

    [Fact]
    public void NpmTokensUseTheSameScheme()
    {
        string token = new ExampleTemplate(7).Expand("{{npm}}");
        Assert.StartsWith("npm_", token);
        Assert.Equal(40, token.Length);
        Assert.True(Checksums.IsValid(Checksums.Npm, token));
        Assert.False(Checksums.IsValid(Checksums.Npm, new ExampleTemplate(7).Expand("{{npm-badcrc}}")));
    }

    [Theory]
    [InlineData("ghp_short")]
    [InlineData("no-underscore")]
    [InlineData("")]
    public void MalformedTokensAreInvalid(string token) => Assert.False(Checksums.IsValid(Checksums.GitHub, token));

    [Fact]
    public void UnknownValidatorIsRejected() =>
        Assert.Throws<ArgumentException>(() => Checksums.IsValid("luhn", "1234"));
}
