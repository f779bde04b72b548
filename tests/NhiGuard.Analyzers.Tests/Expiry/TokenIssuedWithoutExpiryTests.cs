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

    // Across types: the descriptor is issued with a handler whose default times are turned off elsewhere.

    [Fact]
    public Task AHandlerConfiguredInAnotherType() => Verify.DiagnosticsAsync(
        """
        using Microsoft.IdentityModel.JsonWebTokens;
        using Microsoft.IdentityModel.Tokens;

        static class Handlers
        {
            public static readonly JsonWebTokenHandler Issuing = new() { SetDefaultTimesOnTokenCreation = false };

            public static JsonWebTokenHandler Create()
            {
                var handler = new JsonWebTokenHandler();
                handler.SetDefaultTimesOnTokenCreation = false;
                return handler;
            }
        }

        class Issuer
        {
            string Shared(SigningCredentials credentials) =>
                Handlers.Issuing.CreateToken([|new SecurityTokenDescriptor { Issuer = "issuer", SigningCredentials = credentials }|]);

            string Created(SigningCredentials credentials)
            {
                var descriptor = [|new SecurityTokenDescriptor { Issuer = "issuer", SigningCredentials = credentials }|];
                return Handlers.Create().CreateToken(descriptor);
            }
        }
        """,
        "Token is issued without an expiry: SecurityTokenDescriptor without Expires while SetDefaultTimesOnTokenCreation is false");

    [Fact]
    public Task AnInjectedHandlerConfiguredAtRegistration() => Verify.DiagnosticsAsync(
        """
        using Microsoft.IdentityModel.JsonWebTokens;
        using Microsoft.IdentityModel.Tokens;

        static class Registration
        {
            public static JsonWebTokenHandler IssuingHandler() => new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        }

        class Issuer(JsonWebTokenHandler handler)
        {
            string Issue(SigningCredentials credentials) =>
                handler.CreateToken([|new SecurityTokenDescriptor { Issuer = "issuer", SigningCredentials = credentials }|]);
        }
        """,
        "Token is issued without an expiry: SecurityTokenDescriptor without Expires while SetDefaultTimesOnTokenCreation is false");

    [Fact]
    public Task AnInjectedHandlerWithDefaultTimes() => Verify.NoDiagnosticsAsync(
        """
        using Microsoft.IdentityModel.JsonWebTokens;
        using Microsoft.IdentityModel.Tokens;

        class Issuer(JsonWebTokenHandler handler)
        {
            string Issue(SigningCredentials credentials) =>
                handler.CreateToken(new SecurityTokenDescriptor { Issuer = "issuer", SigningCredentials = credentials });
        }
        """);

    // The type turns default times off on the handler it validates with, not on the one it issues with.
    [Fact]
    public Task TheDescriptorGoesToAHandlerWithDefaultTimes() => Verify.NoDiagnosticsAsync(
        """
        using Microsoft.IdentityModel.JsonWebTokens;
        using Microsoft.IdentityModel.Tokens;

        class Tokens
        {
            private readonly JsonWebTokenHandler _reader = new() { SetDefaultTimesOnTokenCreation = false };
            private readonly JsonWebTokenHandler _issuer = new();

            string Issue(SigningCredentials credentials) =>
                _issuer.CreateToken(new SecurityTokenDescriptor { Issuer = "issuer", SigningCredentials = credentials });

            bool Read(string token) => _reader.CanReadToken(token);
        }
        """);

    // Not issued in sight: the type's own setting decides, as before.
    [Fact]
    public Task ADescriptorReturnedFromATypeThatTurnsDefaultTimesOff() => Verify.DiagnosticsAsync(
        """
        using Microsoft.IdentityModel.JsonWebTokens;
        using Microsoft.IdentityModel.Tokens;

        class Issuer : JsonWebTokenHandler
        {
            public Issuer() => SetDefaultTimesOnTokenCreation = false;

            SecurityTokenDescriptor Describe(SigningCredentials credentials) =>
                [|new SecurityTokenDescriptor { Issuer = "issuer", SigningCredentials = credentials }|];

            string Issue(SigningCredentials credentials) => CreateToken([|new SecurityTokenDescriptor { Issuer = "issuer", SigningCredentials = credentials }|]);
        }
        """,
        "Token is issued without an expiry: SecurityTokenDescriptor without Expires while SetDefaultTimesOnTokenCreation is false");
}
