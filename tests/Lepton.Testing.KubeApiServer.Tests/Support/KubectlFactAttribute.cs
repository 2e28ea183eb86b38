namespace Lepton.Testing.KubeApiServer.Tests.Support;

/// <summary>A fact that needs the real kubectl; it is reported as skipped, with the reason, where kubectl is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute()
    {
        if (Kubectl.Find() is null)
        {
            Skip = "kubectl is not installed (looked for /usr/bin/kubectl and on PATH); install it to run the kubectl compatibility tests";
        }
    }
}
