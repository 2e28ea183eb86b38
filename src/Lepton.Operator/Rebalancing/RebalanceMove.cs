using Lepton.Scheduling.Inventory;

namespace Lepton.Operator.Rebalancing;

/// <summary>
/// One planned move: evict <see cref="Pod"/> from <see cref="SourceNode"/>, expecting the scheduler to place its
/// replacement on <see cref="TargetNode"/>. Fragmentation values are in milli-GPU (F of the FGD measure).
/// </summary>
/// <param name="Pod">The pod to evict.</param>
/// <param name="ControllerUid">The UID of its controller, or null.</param>
/// <param name="SourceNode">The node it runs on now.</param>
/// <param name="TargetNode">
/// The node the replacement is predicted to land on: among the nodes the FGD scorer ranks highest (never the source),
/// the one that gains the least from the move, so the prediction is the pessimistic one.
/// </param>
/// <param name="FragmentationBefore">F(source) + F(target) before the move.</param>
/// <param name="FragmentationAfter">F(source) + F(target) after the move.</param>
/// <param name="TargetScore">The FGD score (0..100) of the target.</param>
/// <param name="SourceScore">The FGD score (0..100) of putting the pod back on its source node; always below <paramref name="TargetScore"/>.</param>
public sealed record RebalanceMove(
    PodDemand Pod,
    string? ControllerUid,
    string SourceNode,
    string TargetNode,
    double FragmentationBefore,
    double FragmentationAfter,
    int TargetScore,
    int SourceScore)
{
    /// <summary>Gets the decrease of total cluster fragmentation the move brings, in milli-GPU.</summary>
    public double Reduction => FragmentationBefore - FragmentationAfter;
}
