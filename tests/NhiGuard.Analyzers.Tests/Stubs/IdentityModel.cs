// Stand-in for the IdentityModel package (namespace IdentityModel.Client): the members NhiGuard's sinks name.
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace IdentityModel.Client
{
    public class ProtocolRequest : HttpRequestMessage
    {
        public string? Address { get; set; }
        public string? ClientId { get; set; }
        public string? ClientSecret { get; set; }
    }

    public class TokenRequest : ProtocolRequest
    {
        public string? GrantType { get; set; }
    }

    public class ClientCredentialsTokenRequest : TokenRequest
    {
        public string? Scope { get; set; }
    }

    public class PasswordTokenRequest : TokenRequest
    {
        public string? UserName { get; set; }
        public string? Password { get; set; }
        public string? Scope { get; set; }
    }

    public class TokenResponse
    {
        public string? AccessToken { get; set; }
        public int ExpiresIn { get; set; }
    }

    public static class HttpClientTokenRequestExtensions
    {
        public static Task<TokenResponse> RequestClientCredentialsTokenAsync(this HttpMessageInvoker client, ClientCredentialsTokenRequest request, CancellationToken cancellationToken = default) =>
            Task.FromResult(new TokenResponse());

        public static Task<TokenResponse> RequestPasswordTokenAsync(this HttpMessageInvoker client, PasswordTokenRequest request, CancellationToken cancellationToken = default) =>
            Task.FromResult(new TokenResponse());
    }
}

namespace Duende.IdentityModel.Client
{
    public class ProtocolRequest : HttpRequestMessage
    {
        public string? Address { get; set; }
        public string? ClientId { get; set; }
        public string? ClientSecret { get; set; }
    }

    public class TokenRequest : ProtocolRequest
    {
        public string? GrantType { get; set; }
    }

    public class ClientCredentialsTokenRequest : TokenRequest
    {
        public string? Scope { get; set; }
    }

    public class PasswordTokenRequest : TokenRequest
    {
        public string? UserName { get; set; }
        public string? Password { get; set; }
    }
}
