using NhiGuard.Detection;

namespace NhiGuard.Detection.Tests;

public sealed class PlaceholdersTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("<client-secret>")]
    [InlineData("${CLIENT_SECRET}")]
    [InlineData("$(ApiKey)")]
    [InlineData("{{ secrets.GITHUB_TOKEN }}")]
    [InlineData("%API_KEY%")]
    [InlineData("$API_KEY")]
    [InlineData("#{ClientSecret}#")]
    [InlineData("__CLIENT_SECRET__")]
    [InlineData("@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/x/)")]
    [InlineData("changeme")]
    [InlineData("CHANGE_ME")]
    [InlineData("your-api-key-here")]
    [InlineData("YOUR_CLIENT_SECRET")]
    [InlineData("xxxxxxxxxxxxxxxxxxxx")]
    [InlineData("********")]
    [InlineData("xxxxxxxxxxxxxxxx1234")]
    [InlineData("AKIAIOSFODNN7EXAMPLE")]
    [InlineData("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]
    [InlineData("password")]
    [InlineData("process.env.API_KEY")]
    [InlineData("insert-your-token-here")]
    [InlineData("0000000000000000")]
    [InlineData("2YotnFZFEjr1zCsicMWpAA")]
    [InlineData("czZCaGRSa3F0MzpnWDFmQmF0M2JW")]
    [InlineData("nobody@nowhere.com")]
    [InlineData("-anonymous@")]
    [InlineData("1.2.840.113549.1.9.7")]
    [InlineData("'+EscapeParamValue(Password)+'")]
    [InlineData("\" + password + \"")]
    public void PlaceholdersAreRecognised(string value) => Assert.True(Placeholders.IsPlaceholder(value), value);

    [Theory]
    [InlineData("Xq9vB2mT7kLp4Wz8")]
    [InlineData("s3cr3t-Value-91f")]
    [InlineData("hunter2hunter2")]
    [InlineData("Zq3EGR7TQXV2Z4BNMxk1")]
    [InlineData("correct-horse-battery-staple")]
    public void RealLookingValuesAreNotPlaceholders(string value) => Assert.False(Placeholders.IsPlaceholder(value), value);

    // The local emulators' keys are public and fixed (Azurite/Storage Emulator, Cosmos DB Emulator):
    // Azure SDKs ship them in code, tests and changelogs. Another key in the same place is a finding.
    [Theory]
    [InlineData("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={0};BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;", "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==")]
    [InlineData("const masterKey = \"{0}\";", "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==")]
    public void EmulatorKeysAreNotFindingsButOtherKeysInTheirPlaceAre(string line, string emulatorKey)
    {
        var detector = Detector.CreateDefault();
        Assert.Empty(detector.Scan(new Fragment(string.Format(line, emulatorKey), "src/Storage.cs")));

        string other = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(64));
        Assert.NotEmpty(detector.Scan(new Fragment(string.Format(line, other), "src/Storage.cs")));
    }
}
