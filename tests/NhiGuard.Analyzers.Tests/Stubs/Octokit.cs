// Stand-in for Octokit: the credential type NhiGuard's sinks name.
namespace Octokit
{
    public enum AuthenticationType
    {
        Anonymous,
        Basic,
        Oauth,
        Bearer,
    }

    public class Credentials
    {
        public Credentials(string token)
        {
        }

        public Credentials(string token, AuthenticationType authenticationType)
        {
        }

        public Credentials(string login, string password)
        {
        }

        public Credentials(string login, string password, AuthenticationType authenticationType)
        {
        }
    }

    public class ProductHeaderValue
    {
        public ProductHeaderValue(string name)
        {
        }
    }

    public class GitHubClient
    {
        public GitHubClient(ProductHeaderValue productInformation)
        {
        }

        public Credentials? Credentials { get; set; }
    }
}
