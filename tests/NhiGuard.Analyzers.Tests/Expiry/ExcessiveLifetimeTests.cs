using NhiGuard.Analyzers.Expiry;
using NhiGuard.Analyzers.Tests.Verification;

namespace NhiGuard.Analyzers.Tests.Expiry;

using Verify = Verify<ExcessiveLifetimeAnalyzer>;

/// <summary>NHI204: token lifetimes and clock skews beyond the configured bounds.</summary>
public sealed class ExcessiveLifetimeTests
{
    [Fact]
    public Task ClockSkew() => Verify.DiagnosticsAsync(
        """
        using System;
        using Microsoft.IdentityModel.Tokens;

        class Auth
        {
            TokenValidationParameters Hour() => new() { [|ClockSkew = TimeSpan.FromHours(1)|] };
            TokenValidationParameters Ctor() => new() { [|ClockSkew = new TimeSpan(0, 30, 0)|] };
            TokenValidationParameters Max() => new() { [|ClockSkew = TimeSpan.MaxValue|] };

            // Within the default bound of 5 minutes.
            TokenValidationParameters Fine() => new() { ClockSkew = TimeSpan.FromMinutes(2) };
            TokenValidationParameters Zero() => new() { ClockSkew = TimeSpan.Zero };
        }
        """,
        "Clock skew of 1 hour exceeds the bound of 5 minutes",
        "Clock skew of 30 minutes exceeds the bound of 5 minutes",
        "Clock skew of TimeSpan.MaxValue exceeds the bound of 5 minutes");

    [Fact]
    public Task TokenLifetimes() => Verify.DiagnosticsAsync(
        """
        using System;
        using System.IdentityModel.Tokens.Jwt;
        using Microsoft.IdentityModel.Tokens;

        class Issuer
        {
            private static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

            SecurityTokenDescriptor Descriptor() => new() { [|Expires = DateTime.UtcNow.AddDays(30)|] };
            SecurityTokenDescriptor Added() => new() { [|Expires = DateTime.UtcNow + Lifetime|] };
            JwtSecurityToken Token(SigningCredentials credentials) =>
                new("issuer", "audience", null, DateTime.UtcNow, [|DateTime.UtcNow.AddHours(48)|], credentials);
            JwtSecurityToken Named() => new(issuer: "issuer", [|expires: DateTime.UtcNow.AddYears(1)|]);
            void Handler(JwtSecurityTokenHandler handler) => [|handler.TokenLifetimeInMinutes = 7 * 24 * 60|];

            // An hour is fine; so is a value the code computes.
            SecurityTokenDescriptor Hour() => new() { Expires = DateTime.UtcNow.AddHours(1) };
            SecurityTokenDescriptor Computed(TimeSpan lifetime) => new() { Expires = DateTime.UtcNow.Add(lifetime) };
        }
        """,
        "Token lifetime of 30 days exceeds the bound of 1 day",
        "Token lifetime of 7 days exceeds the bound of 1 day",
        "Token lifetime of 2 days exceeds the bound of 1 day",
        "Token lifetime of 365 days exceeds the bound of 1 day",
        "Default token lifetime of 7 days exceeds the bound of 1 day");

    [Fact]
    public Task TheBoundsAreConfigurable() => new AnalyzerCase<ExcessiveLifetimeAnalyzer>
    {
        Sources =
        {
            """
            using System;
            using Microsoft.IdentityModel.Tokens;

            class Auth
            {
                TokenValidationParameters Skew() => new() { ClockSkew = TimeSpan.FromMinutes(10) };
                SecurityTokenDescriptor Week() => new() { Expires = DateTime.UtcNow.AddDays(7) };
                SecurityTokenDescriptor Month() => new() { [|Expires = DateTime.UtcNow.AddDays(30)|] };
            }
            """,
        },
        Options =
        {
            ["nhiguard.max_clock_skew_minutes"] = "15",
            ["nhiguard.max_token_lifetime_hours"] = "168",
        },
        Messages = { "Token lifetime of 30 days exceeds the bound of 7 days" },
    }.RunAsync();
}
