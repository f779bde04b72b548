using NhiGuard.Analyzers.Expiry;
using NhiGuard.Analyzers.Tests.Verification;

namespace NhiGuard.Analyzers.Tests.Expiry;

using Verify = Verify<TokenIssuedWithoutExpiryAnalyzer>;

/// <summary>NHI202: tokens issued with no expiry at all.</summary>
public sealed class TokenIssuedWithoutExpiryTests
{
    [Fact]
    public Task AJwtSecurityTokenWithoutExpires() => Verify.DiagnosticsAsync(
        """
        using System;
        using System.IdentityModel.Tokens.Jwt;
        using System.Security.Claims;
        using Microsoft.IdentityModel.Tokens;

        class Issuer
        {
            JwtSecurityToken Missing(SigningCredentials credentials) =>
                [|new JwtSecurityToken("issuer", "audience", new[] { new Claim("sub", "svc") }, signingCredentials: credentials)|];

            JwtSecurityToken Null(SigningCredentials credentials) =>
                [|new JwtSecurityToken("issuer", "audience", null, DateTime.UtcNow, null, credentials)|];

            JwtSecurityToken WithExpiry(SigningCredentials credentials) =>
                new JwtSecurityToken("issuer", "audience", null, DateTime.UtcNow, DateTime.UtcNow.AddMinutes(15), credentials);

            // Reading a token is not issuing one.
            JwtSecurityToken Parse(string encoded) => new JwtSecurityToken(encoded);
        }
        """,
        "Token is issued without an expiry: new JwtSecurityToken(...) without expires");

    [Fact]
    public Task ADescriptorWithoutExpiresWhenDefaultTimesAreOff() => Verify.DiagnosticsAsync(
        """
        using System;
        using Microsoft.IdentityModel.JsonWebTokens;
        using Microsoft.IdentityModel.Tokens;

        class Issuer
        {
            private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

            string Issue(SigningCredentials credentials) =>
                _handler.CreateToken([|new SecurityTokenDescriptor { Issuer = "issuer", SigningCredentials = credentials }|]);

            string IssueLater(SigningCredentials credentials)
            {
                var descriptor = new SecurityTokenDescriptor { Issuer = "issuer", SigningCredentials = credentials };
                descriptor.Expires = DateTime.UtcNow.AddMinutes(10);
                return _handler.CreateToken(descriptor);
            }
        }
        """,
        "Token is issued without an expiry: SecurityTokenDescriptor without Expires while SetDefaultTimesOnTokenCreation is false");

    [Fact]
    public Task WithDefaultTimesTheHandlerAddsAnExpiry() => Verify.NoDiagnosticsAsync(
        """
        using Microsoft.IdentityModel.JsonWebTokens;
        using Microsoft.IdentityModel.Tokens;

        class Issuer
        {
            private readonly JsonWebTokenHandler _handler = new();

            // No Expires: JsonWebTokenHandler writes exp = now + 60 minutes (TokenLifetimeInMinutes).
            string Issue(SigningCredentials credentials) =>
                _handler.CreateToken(new SecurityTokenDescriptor { Issuer = "issuer", SigningCredentials = credentials });
        }
        """);
}
