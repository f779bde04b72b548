using NhiGuard.Analyzers.Expiry;
using NhiGuard.Analyzers.Tests.Verification;

namespace NhiGuard.Analyzers.Tests.Expiry;

using Verify = Verify<CachedTokenWithoutExpiryAnalyzer>;

/// <summary>NHI201: access tokens kept beyond a call by code that never looks at their expiry.</summary>
public sealed class CachedTokenWithoutExpiryTests
{
    [Fact]
    public Task AnMsalTokenInAField() => Verify.DiagnosticsAsync(
        """
        using System.Threading.Tasks;
        using Microsoft.Identity.Client;

        class GraphClient(IConfidentialClientApplication app)
        {
            private string? _accessToken;

            async Task<string> Token()
            {
                if (_accessToken is null)
                {
                    AuthenticationResult result = await app.AcquireTokenForClient(new[] { "https://graph.microsoft.com/.default" }).ExecuteAsync();
                    [|_accessToken = result.AccessToken|];
                }

                return _accessToken;
            }
        }
        """,
        "Access token from AuthenticationResult.AccessToken is kept in '_accessToken', but its expiry (ExpiresOn or ExtendedExpiresOn) is never read");

    [Fact]
    public Task AnAzureAccessTokenInAStaticAndALongLivedHttpClient() => Verify.DiagnosticsAsync(
        """
        using System.Net.Http;
        using System.Net.Http.Headers;
        using System.Threading.Tasks;
        using Azure.Core;

        class Api(TokenCredential credential)
        {
            private static readonly HttpClient Http = new();
            private static AccessToken s_token;

            async Task Configure()
            {
                AccessToken token = await credential.GetTokenAsync(new TokenRequestContext(new[] { "api://app/.default" }), default);
                [|s_token = token|];
                [|Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token)|];
            }
        }
        """,
        "Access token from AccessToken.Token is kept in 's_token', but its expiry (ExpiresOn or RefreshOn) is never read",
        "Access token from AccessToken.Token is kept in 'Http.DefaultRequestHeaders.Authorization', but its expiry (ExpiresOn or RefreshOn) is never read");

    [Fact]
    public Task AnIdentityModelTokenResponse() => Verify.DiagnosticsAsync(
        """
        using System.Net.Http;
        using System.Threading.Tasks;
        using IdentityModel.Client;

        class Worker(HttpClient http)
        {
            public string? Token { get; private set; }

            async Task Refresh()
            {
                var response = await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest { Address = "https://idp.test/connect/token", ClientId = "worker" });
                [|Token = response.AccessToken|];
            }
        }
        """,
        "Access token from TokenResponse.AccessToken is kept in 'Token', but its expiry (ExpiresIn) is never read");

    [Fact]
    public Task ReadingTheExpiryCountsAsHandled() => Verify.NoDiagnosticsAsync(
        """
        using System;
        using System.Threading.Tasks;
        using Microsoft.Identity.Client;

        class GraphClient(IConfidentialClientApplication app)
        {
            private string? _accessToken;
            private DateTimeOffset _expiresOn;

            async Task<string> Token()
            {
                if (_accessToken is null || _expiresOn <= DateTimeOffset.UtcNow.AddMinutes(5))
                {
                    var result = await app.AcquireTokenForClient(new[] { "https://graph.microsoft.com/.default" }).ExecuteAsync();
                    _accessToken = result.AccessToken;
                    _expiresOn = result.ExpiresOn;
                }

                return _accessToken;
            }
        }
        """);

    [Fact]
    public Task LocalsAndPerRequestClientsAreFine() => Verify.NoDiagnosticsAsync(
        """
        using System.Net.Http;
        using System.Net.Http.Headers;
        using System.Threading.Tasks;
        using Microsoft.Identity.Client;

        class GraphClient(IConfidentialClientApplication app)
        {
            async Task<string> Call()
            {
                // MSAL caches the token itself: asking again each time is the right thing.
                var result = await app.AcquireTokenForClient(new[] { "https://graph.microsoft.com/.default" }).ExecuteAsync();
                using var http = new HttpClient();
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", result.AccessToken);
                var request = new HttpRequestMessage(HttpMethod.Get, "https://graph.microsoft.com/v1.0/users");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", result.AccessToken);
                return await http.GetStringAsync("https://graph.microsoft.com/v1.0/me");
            }
        }
        """);
}
