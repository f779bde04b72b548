using NhiGuard.Analyzers.Secrets;
using NhiGuard.Analyzers.Tests.Verification;
using NhiGuard.CodeFixes;

namespace NhiGuard.Analyzers.Tests.Secrets;

/// <summary>The fix for NHI001/NHI003: the literal becomes an environment or configuration lookup.</summary>
public sealed class HardCodedSecretCodeFixTests
{
    private const string Environment = HardCodedSecretCodeFixProvider.EnvironmentEquivalenceKey;
    private const string Configuration = HardCodedSecretCodeFixProvider.ConfigurationEquivalenceKey;

    [Fact]
    public Task ALiteralArgumentReadsAnEnvironmentVariable() => CodeFixCase<HardCodedCredentialAnalyzer, HardCodedSecretCodeFixProvider>.VerifyAsync(
        """
        using System;
        using Microsoft.Identity.Client;

        class TokenClient
        {
            IConfidentialClientApplication Build() =>
                ConfidentialClientApplicationBuilder.Create("app")
                    .WithClientSecret([|"correct-horse-battery-staple"|])
                    .Build();
        }
        """,
        """
        using System;
        using Microsoft.Identity.Client;

        class TokenClient
        {
            IConfidentialClientApplication Build() =>
                ConfidentialClientApplicationBuilder.Create("app")
                    .WithClientSecret(Environment.GetEnvironmentVariable("CLIENT_SECRET") ?? throw new InvalidOperationException("Set the CLIENT_SECRET environment variable."))
                    .Build();
        }
        """,
        Environment);

    [Fact]
    public Task WithAnIConfigurationInScopeTheValueComesFromConfiguration() => CodeFixCase<HardCodedCredentialAnalyzer, HardCodedSecretCodeFixProvider>.VerifyAsync(
        """
        using System.Net;
        using Microsoft.Extensions.Configuration;

        class Mailer(IConfiguration configuration)
        {
            NetworkCredential Credentials() => new("svc", [|"correct-horse-battery-staple"|]);
        }
        """,
        """
        using System.Net;
        using Microsoft.Extensions.Configuration;

        class Mailer(IConfiguration configuration)
        {
            NetworkCredential Credentials() => new("svc", configuration["Password"] ?? throw new System.InvalidOperationException("Set the configuration value 'Password'."));
        }
        """,
        Configuration);

    [Fact]
    public Task AConstantBecomesStaticReadonly() => CodeFixCase<HardCodedCredentialAnalyzer, HardCodedSecretCodeFixProvider>.VerifyAsync(
        """
        using System;
        using Azure.Identity;

        class Credentials
        {
            private const string Secret = [|"correct-horse-battery-staple"|];

            object Create() => new ClientSecretCredential("tenant", "app", Secret);
        }
        """,
        """
        using System;
        using Azure.Identity;

        class Credentials
        {
            private static readonly string Secret = Environment.GetEnvironmentVariable("CLIENT_SECRET") ?? throw new InvalidOperationException("Set the CLIENT_SECRET environment variable.");

            object Create() => new ClientSecretCredential("tenant", "app", Secret);
        }
        """,
        Environment);

    [Fact]
    public Task ASigningKeyKeepsItsBytes() => CodeFixCase<HardCodedSigningKeyAnalyzer, HardCodedSecretCodeFixProvider>.VerifyAsync(
        """
        using System;
        using System.Text;
        using Microsoft.IdentityModel.Tokens;

        class Keys
        {
            SecurityKey FromString() => new SymmetricSecurityKey(Encoding.UTF8.GetBytes([|"your-256-bit-secret"|]));
            SecurityKey FromUtf8() => new SymmetricSecurityKey([|"correct-horse-battery-staple-and-more-words"u8|].ToArray());
            SecurityKey FromBytes() => new SymmetricSecurityKey([|new byte[] { 0x2a, 0x17, 0x99, 0x01 }|]);
        }
        """,
        """
        using System;
        using System.Text;
        using Microsoft.IdentityModel.Tokens;

        class Keys
        {
            SecurityKey FromString() => new SymmetricSecurityKey(Encoding.UTF8.GetBytes(Environment.GetEnvironmentVariable("JWT_SIGNING_KEY") ?? throw new InvalidOperationException("Set the JWT_SIGNING_KEY environment variable.")));
            SecurityKey FromUtf8() => new SymmetricSecurityKey(Encoding.UTF8.GetBytes(Environment.GetEnvironmentVariable("JWT_SIGNING_KEY") ?? throw new InvalidOperationException("Set the JWT_SIGNING_KEY environment variable.")));
            SecurityKey FromBytes() => new SymmetricSecurityKey(Convert.FromBase64String(Environment.GetEnvironmentVariable("JWT_SIGNING_KEY") ?? throw new InvalidOperationException("Set the JWT_SIGNING_KEY environment variable.")));
        }
        """,
        Environment);

    [Fact]
    public Task AConstLocalBecomesAPlainLocal() => CodeFixCase<HardCodedCredentialAnalyzer, HardCodedSecretCodeFixProvider>.VerifyAsync(
        """
        using System;
        using System.Net;

        class Mailer
        {
            NetworkCredential Credentials()
            {
                const string password = [|"correct-horse-battery-staple"|];
                return new NetworkCredential("svc", password);
            }
        }
        """,
        """
        using System;
        using System.Net;

        class Mailer
        {
            NetworkCredential Credentials()
            {
                string password = Environment.GetEnvironmentVariable("PASSWORD") ?? throw new InvalidOperationException("Set the PASSWORD environment variable.");
                return new NetworkCredential("svc", password);
            }
        }
        """,
        Environment);

    [Fact]
    public Task AHeaderValueIsNamedAfterTheHeader() => CodeFixCase<HardCodedCredentialAnalyzer, HardCodedSecretCodeFixProvider>.VerifyAsync(
        """
        using System;
        using System.Net.Http;

        class Api
        {
            void Configure(HttpClient http) => http.DefaultRequestHeaders.Add("X-Api-Key", [|"correct-horse-battery-staple"|]);
        }
        """,
        """
        using System;
        using System.Net.Http;

        class Api
        {
            void Configure(HttpClient http) => http.DefaultRequestHeaders.Add("X-Api-Key", Environment.GetEnvironmentVariable("API_KEY") ?? throw new InvalidOperationException("Set the API_KEY environment variable."));
        }
        """,
        Environment);

    [Fact]
    public Task NoConfigurationFixWithoutAnIConfiguration() => CodeFixCase<HardCodedCredentialAnalyzer, HardCodedSecretCodeFixProvider>.NoFixAsync(
        """
        using System.Net;

        class Mailer
        {
            NetworkCredential Credentials() => new("svc", [|"correct-horse-battery-staple"|]);
        }
        """,
        Configuration);

    [Fact]
    public Task NoFixForAKeyInsideAUrl() => CodeFixCase<HardCodedCredentialAnalyzer, HardCodedSecretCodeFixProvider>.NoFixAsync(
        """
        using System;

        class Weather
        {
            Uri Build() => new Uri([|"https://api.weather.test/v1?q=oslo&access_token=correct-horse-battery-staple"|]);
        }
        """,
        Environment);

    [Fact]
    public async Task TheTitlesNameTheSetting()
    {
        string[] titles = await CodeFixCase<HardCodedCredentialAnalyzer, HardCodedSecretCodeFixProvider>.TitlesAsync(
            """
            using Microsoft.Extensions.Configuration;
            using Microsoft.Identity.Client;

            class TokenClient(IConfiguration configuration)
            {
                object Build() => ConfidentialClientApplicationBuilder.Create("app").WithClientSecret("correct-horse-battery-staple").Build();
            }
            """);

        Assert.Equal(new[] { "Read it from the environment variable CLIENT_SECRET", "Read it from configuration key 'ClientSecret'" }, titles);
    }

    [Theory]
    [InlineData("ClientSecret", "CLIENT_SECRET")]
    [InlineData("JwtSigningKey", "JWT_SIGNING_KEY")]
    [InlineData("ApiKey", "API_KEY")]
    [InlineData("Password", "PASSWORD")]
    [InlineData("AWSSecretKey", "AWS_SECRET_KEY")]
    public void EnvironmentVariableNames(string setting, string expected) =>
        Assert.Equal(expected, HardCodedSecretCodeFixProvider.EnvironmentVariableName(setting));
}
