// Stand-in for Duende.AccessTokenManagement (v3): the client options NhiGuard's sinks name.
namespace Duende.AccessTokenManagement
{
    public class ClientCredentialsClient
    {
        public string? TokenEndpoint { get; set; }
        public string? ClientId { get; set; }
        public string? ClientSecret { get; set; }
        public string? Scope { get; set; }
    }
}
