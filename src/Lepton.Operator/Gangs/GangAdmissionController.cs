using k8s.Models;
using Lepton.Operator.Controllers;
using Lepton.Operator.Controllers.Informers;
using Lepton.Operator.Entities;
using Lepton.Operator.Jobs;
using Lepton.Operator.LeaderElection;
using Lepton.Operator.Metrics;
using Microsoft.Extensions.Logging;

namespace Lepton.Operator.Gangs;

/// <summary>
/// The controller that runs <see cref="GangAdmissionReconciler"/>: its own work queue of Training-job keys, fed
/// by job events, by events of the gangs' pods, by every node change and by pods that free room (to retry waiting
/// gangs), and its workers only on the leader. A separate <see cref="Controller{T}"/> from the job controller
/// (both over LeptonJobs), hence this holder type in the container.
/// </summary>
public sealed class GangAdmissionController : IDisposable
{
    /// <summary>The controller name (logs, metrics, options <c>Lepton:Controllers</c>).</summary>
    public const string Name = "gang-admission";

    /// <summary>Creates the controller.</summary>
    /// <param name="jobs">The LeptonJob informer.</param>
    /// <param name="pods">The pod informer.</param>
    /// <param name="nodes">The node informer.</param>
    /// <param name="reconciler">The admission reconciler.</param>
    /// <param name="verdicts">The verdicts (waiting gangs).</param>
    /// <param name="leaderElector">Decides when workers run.</param>
    /// <param name="options">Worker count and retry pacing (one worker keeps admissions serial).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="metrics">The metrics, or null.</param>
    public GangAdmissionController(
        IResourceInformer<V1Alpha1LeptonJob> jobs,
        IResourceInformer<V1Pod> pods,
        IResourceInformer<V1Node> nodes,
        GangAdmissionReconciler reconciler,
        GangVerdicts verdicts,
        ILeaderElector leaderElector,
        ControllerOptions options,
        TimeProvider timeProvider,
        ILogger<Controller<V1Alpha1LeptonJob>> logger,
        OperatorMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(verdicts);
        var serial = new ControllerOptions { Workers = 1, RateLimiter = options.RateLimiter };
        Controller = new Controller<V1Alpha1LeptonJob>(
            Name, jobs, reconciler, leaderElector, serial, timeProvider, logger, metrics, e => JobPodBuilder.IsGang(e.Object));
        Controller.Watch(pods, e => GangAdmissionReconciler.AffectedGangs(e, verdicts));
        Controller.Watch(nodes, _ => verdicts.Waiting());
    }

    /// <summary>Gets the controller.</summary>
    public Controller<V1Alpha1LeptonJob> Controller { get; }

    /// <inheritdoc />
    public void Dispose() => Controller.Dispose();
}
