using k8s;
using Lepton.Operator.Events;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Lepton.Operator.Tests.Testing;

/// <summary>The operator's <see cref="EventRecorderFactory"/> over a test client and clock, with client-go's default limits.</summary>
public static class TestEventRecorders
{
    public static EventRecorderFactory Create(IKubernetes client, TimeProvider time) =>
        new(client, time, Options.Create(new EventRecorderOptions()), new ManualLeaderElector(), NullLoggerFactory.Instance);
}
