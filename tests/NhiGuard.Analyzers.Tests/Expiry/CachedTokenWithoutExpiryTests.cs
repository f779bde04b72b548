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
    public Task AnAwaitedResultInAField() => Verify.DiagnosticsAsync(
        """
        using System.Threading.Tasks;
        using Azure.Core;

        class Api(TokenCredential credential)
        {
            private AccessToken _token;

            async Task<string> Get()
            {
                [|_token = await credential.GetTokenAsync(new TokenRequestContext(new[] { "api://app/.default" }), default)|];
                return _token.Token;
            }
        }
        """,
        "Access token from AccessToken.Token is kept in '_token', but its expiry (ExpiresOn or RefreshOn) is never read");

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

    // Across types: the expiry is handled by a helper or a cache of another type, or the token is
    // kept by another type's method.

    [Fact]
    public Task AHelperOfAnotherTypeReadsTheExpiryOfTheResult() => Verify.NoDiagnosticsAsync(
        """
        using System;
        using System.Threading.Tasks;
        using Microsoft.Identity.Client;

        static class TokenExpiry
        {
            public static DateTimeOffset RefreshAt(AuthenticationResult result) => result.ExpiresOn.AddMinutes(-5);
        }

        class GraphClient(IConfidentialClientApplication app)
        {
            private string? _accessToken;
            private DateTimeOffset _refreshAt;

            async Task<string> Token()
            {
                if (_accessToken is null || _refreshAt <= DateTimeOffset.UtcNow)
                {
                    var result = await app.AcquireTokenForClient(new[] { "https://graph.microsoft.com/.default" }).ExecuteAsync();
                    _accessToken = result.AccessToken;
                    _refreshAt = TokenExpiry.RefreshAt(result);
                }

                return _accessToken;
            }
        }
        """);

    [Fact]
    public Task ACacheTypeThatReadsTheExpiryOfWhatItHolds() => Verify.NoDiagnosticsAsync(
        """
        using System;
        using System.Threading.Tasks;
        using Azure.Core;
        using Microsoft.Identity.Client;

        sealed class TokenCache
        {
            public AccessToken Token { get; set; }

            public bool IsFresh => Token.ExpiresOn > DateTimeOffset.UtcNow.AddMinutes(5);
        }

        class Api(TokenCredential credential)
        {
            private readonly TokenCache _cache = new();

            async Task<string> Get()
            {
                if (!_cache.IsFresh)
                {
                    _cache.Token = await credential.GetTokenAsync(new TokenRequestContext(new[] { "api://app/.default" }), default);
                }

                return _cache.Token.Token;
            }
        }

        abstract class CachingClient
        {
            protected AuthenticationResult? Current { get; set; }

            protected bool IsFresh => Current is not null && Current.ExpiresOn > DateTimeOffset.UtcNow.AddMinutes(5);
        }

        sealed class GraphClient(IConfidentialClientApplication app) : CachingClient
        {
            async Task<string> Token()
            {
                if (!IsFresh)
                {
                    Current = await app.AcquireTokenForClient(new[] { "https://graph.microsoft.com/.default" }).ExecuteAsync();
                }

                return Current!.AccessToken;
            }
        }
        """);

    [Fact]
    public Task ATokenKeptByAnotherTypesMethodOrRecord() => Verify.DiagnosticsAsync(
        """
        using System.Threading.Tasks;
        using Microsoft.Identity.Client;

        sealed class TokenStore
        {
            private string? _token;

            public void Remember(string token) => _token = token;

            public string? Current => _token;
        }

        sealed record CachedToken(string Value);

        class Worker(IConfidentialClientApplication app)
        {
            private readonly TokenStore _store = new();
            private CachedToken? _cached;

            async Task Refresh()
            {
                var result = await app.AcquireTokenForClient(new[] { "api://app/.default" }).ExecuteAsync();
                [|_store.Remember(result.AccessToken)|];
                [|_cached = new CachedToken(result.AccessToken)|];
            }
        }
        """,
        "Access token from AuthenticationResult.AccessToken is kept in 'TokenStore._token', but its expiry (ExpiresOn or ExtendedExpiresOn) is never read",
        "Access token from AuthenticationResult.AccessToken is kept in '_cached', but its expiry (ExpiresOn or ExtendedExpiresOn) is never read");

    [Fact]
    public Task ATokenHandedOverWithItsExpiryOrForOneCallIsFine() => Verify.NoDiagnosticsAsync(
        """
        using System;
        using System.Threading.Tasks;
        using Microsoft.Identity.Client;

        sealed class TokenStore
        {
            private string? _token;
            private DateTimeOffset _expiresOn;

            public void Remember(string token, DateTimeOffset expiresOn) => (_token, _expiresOn) = (token, expiresOn);

            public void Keep(string token) => _token = token;

            public string? Current => _expiresOn > DateTimeOffset.UtcNow ? _token : null;
        }

        static class Log
        {
            public static void Length(string token) => Console.WriteLine(token.Length);
        }

        class Worker(IConfidentialClientApplication app)
        {
            private readonly TokenStore _store = new();

            async Task Refresh()
            {
                var result = await app.AcquireTokenForClient(new[] { "api://app/.default" }).ExecuteAsync();
                _store.Remember(result.AccessToken, result.ExpiresOn);
                Log.Length(result.AccessToken);
                new TokenStore().Keep(result.AccessToken);
            }
        }
        """);
}
