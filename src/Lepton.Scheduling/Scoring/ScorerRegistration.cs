namespace Lepton.Scheduling.Scoring;

/// <summary>
/// A policy a component contributes to the host's <see cref="ScorerRegistry"/> (the learned
/// policy from the model layer, say). The extender's registry is the built-in policies plus every
/// registration in the container, whatever order the components were added in; a name registered
/// twice stops start-up.
/// </summary>
/// <param name="Name">The policy name (<c>--policy NAME</c>).</param>
/// <param name="Create">Makes the policy's scorer from the host's services.</param>
public sealed record ScorerRegistration(string Name, Func<IServiceProvider, NodeScorer> Create)
{
    /// <summary>The built-in policies plus the registrations, in registration order.</summary>
    /// <param name="registrations">The contributed policies.</param>
    /// <param name="services">The host's services, passed to each factory.</param>
    /// <returns>The registry.</returns>
    public static ScorerRegistry Build(IEnumerable<ScorerRegistration> registrations, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        ArgumentNullException.ThrowIfNull(services);
        var registry = ScorerRegistry.CreateDefault();
        foreach (var registration in registrations)
        {
            var create = registration.Create;
            registry.Register(registration.Name, () => create(services));
        }

        return registry;
    }
}
