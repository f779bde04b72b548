using NhiGuard.Analyzers.Expiry;
using NhiGuard.Analyzers.Tests.Verification;

namespace NhiGuard.Analyzers.Tests.Expiry;

using Verify = Verify<LifetimeValidationDisabledAnalyzer>;

/// <summary>NHI203: token lifetime validation turned off.</summary>
public sealed class LifetimeValidationDisabledTests
{
    [Fact]
    public Task SettingsInAnObjectInitializer() => Verify.DiagnosticsAsync(
        """
        using Microsoft.IdentityModel.Tokens;

        class Auth
        {
            TokenValidationParameters Parameters() => new()
            {
                ValidateIssuer = true,
                [|ValidateLifetime = false|],
                [|RequireExpirationTime = false|],
            };
        }
        """,
        "Token lifetime validation is disabled: ValidateLifetime = false",
        "Token lifetime validation is disabled: RequireExpirationTime = false");

    [Fact]
    public Task AssignmentsAndConstants() => Verify.DiagnosticsAsync(
        """
        using Microsoft.IdentityModel.Tokens;

        class Auth
        {
            private const bool CheckLifetime = false;

            void Configure(TokenValidationParameters parameters)
            {
                [|parameters.ValidateLifetime = CheckLifetime|];
            }
        }
        """,
        "Token lifetime validation is disabled: ValidateLifetime = false");

    [Fact]
    public Task AValidatorThatAlwaysSaysYes() => Verify.DiagnosticsAsync(
        """
        using Microsoft.IdentityModel.Tokens;

        class Auth
        {
            TokenValidationParameters Lambda() => new() { [|LifetimeValidator = (notBefore, expires, token, parameters) => true|] };

            TokenValidationParameters Block() => new()
            {
                [|LifetimeValidator = (notBefore, expires, token, parameters) =>
                {
                    return true;
                }|],
            };
        }
        """,
        "Token lifetime validation is disabled: LifetimeValidator always returns true");

    [Fact]
    public Task ValidationThatStaysOnIsFine() => Verify.NoDiagnosticsAsync(
        """
        using System;
        using Microsoft.IdentityModel.Tokens;

        class Auth
        {
            TokenValidationParameters Parameters(bool development) => new()
            {
                ValidateLifetime = true,
                RequireExpirationTime = !development ? true : true,
                LifetimeValidator = (notBefore, expires, token, parameters) => expires > DateTime.UtcNow,
            };

            // Another type's property of the same name is not token validation.
            class Options
            {
                public bool ValidateLifetime { get; set; }
            }

            Options Other() => new() { ValidateLifetime = false };
        }
        """);
}
