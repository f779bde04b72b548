using NhiGuard.Analyzers.Secrets;
using NhiGuard.Analyzers.Tests.Verification;

namespace NhiGuard.Analyzers.Tests.Secrets;

using Verify = Verify<HardCodedSigningKeyAnalyzer>;

/// <summary>NHI003: a symmetric key that signs or validates tokens is written in the code.</summary>
public sealed class HardCodedSigningKeyTests
{
    private const string Message = "Hard-coded signing key flows into SymmetricSecurityKey(key)";

    [Fact]
    public Task TheBytesOfAStringLiteral() => Verify.DiagnosticsAsync(
        """
        using System.Text;
        using Microsoft.IdentityModel.Tokens;

        class Tokens
        {
            SecurityKey Key() => new SymmetricSecurityKey(Encoding.UTF8.GetBytes([|"your-256-bit-secret"|]));
        }
        """,
        Message);

    [Fact]
    public Task ValidationParametersWithAConstantKey() => Verify.DiagnosticsAsync(
        """
        using System.Text;
        using Microsoft.IdentityModel.Tokens;

        class Auth
        {
            private const string JwtKey = [|"correct-horse-battery-staple-and-more-words"|];

            TokenValidationParameters Parameters() => new()
            {
                ValidIssuer = "https://issuer.contoso.test",
                IssuerSigningKey = new SymmetricSecurityKey(Encoding.ASCII.GetBytes(JwtKey)),
            };
        }
        """,
        Message);

    [Fact]
    public Task Base64ByteArrayAndUtf8Keys() => Verify.DiagnosticsAsync(
        """
        using System;
        using Microsoft.IdentityModel.Tokens;

        class Keys
        {
            private static readonly byte[] Raw = [|new byte[] { 0x2a, 0x17, 0x99, 0x01, 0x5c, 0x7e, 0x33, 0x48 }|];

            SecurityKey FromBase64() => new SymmetricSecurityKey(Convert.FromBase64String([|"{{rand:b64:44}}"|]));
            SecurityKey FromBytes() => new SymmetricSecurityKey(Raw);
            SecurityKey FromUtf8() => new SymmetricSecurityKey([|"correct-horse-battery-staple-and-more-words"u8|].ToArray());
        }
        """,
        Message);

    [Fact]
    public Task AJsonWebKeyWithItsSymmetricValue() => Verify.DiagnosticsAsync(
        """
        using Microsoft.IdentityModel.Tokens;

        class Keys
        {
            JsonWebKey Jwk() => new() { Kty = "oct", K = [|"{{rand:b64url:43}}"|] };
        }
        """,
        "Hard-coded signing key flows into JsonWebKey.K");

    [Fact]
    public Task KeysFromConfigurationOrRandomBytesAreFine() => Verify.NoDiagnosticsAsync(
        """
        using System.Security.Cryptography;
        using System.Text;
        using Microsoft.Extensions.Configuration;
        using Microsoft.IdentityModel.Tokens;

        class Keys(IConfiguration configuration)
        {
            SecurityKey FromConfiguration() => new SymmetricSecurityKey(Encoding.UTF8.GetBytes(configuration["Jwt:Key"]!));
            SecurityKey Random() => new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32));

            SecurityKey Filled()
            {
                var key = new byte[32];
                RandomNumberGenerator.Fill(key);
                return new SymmetricSecurityKey(key);
            }
        }
        """);

    [Fact]
    public Task PlaceholdersAndTestDoublesAreFine() => Verify.NoDiagnosticsAsync(
        """
        using System.Text;
        using Microsoft.IdentityModel.Tokens;

        class Keys
        {
            SecurityKey Placeholder() => new SymmetricSecurityKey(Encoding.UTF8.GetBytes("<jwt-signing-key>"));
        }

        class TokenServiceTests
        {
            SecurityKey Key() => new SymmetricSecurityKey(Encoding.UTF8.GetBytes("correct-horse-battery-staple-and-more-words"));
        }
        """);

    [Fact]
    public Task ATypeOfTheSameNameIsNotASink() => Verify.NoDiagnosticsAsync(
        """
        class SymmetricSecurityKey
        {
            public SymmetricSecurityKey(byte[] key) { }
        }

        class Keys
        {
            // Not Microsoft.IdentityModel.Tokens: a type of the same name is not a sink.
            SymmetricSecurityKey Key() => new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes("correct-horse-battery-staple"));
        }
        """);
}
