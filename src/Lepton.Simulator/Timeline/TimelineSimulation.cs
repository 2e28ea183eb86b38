using System.Diagnostics;
using Lepton.Scheduling.Fit;
using Lepton.Scheduling.Fragmentation;
using Lepton.Scheduling.Inventory;
using Lepton.Scheduling.Prediction;
using Lepton.Scheduling.Queueing;
using Lepton.Scheduling.Scoring;
using Lepton.Scheduling.State;
using Lepton.Simulator.Artifact;
using Lepton.Simulator.Running;
using Lepton.Simulator.Workloads;

namespace Lepton.Simulator.Timeline;

/// <summary>
/// Replays a trace's creation and deletion times. An arriving pod is placed at once if a node
/// fits it, else it waits; when pods depart, the waiting pods are retried in queue order
/// (<see cref="QueueOrder"/>, ordered by the core's <see cref="PendingQueue{T}"/>). A placed pod
/// runs for its trace lifetime (deletion − creation), so waiting delays its departure. Placement is
/// the artifact's (policy score, node-priority tie-break), the seed choosing the node priority.
/// Predictions for <see cref="QueueOrder.SjfPredicted"/> are made at submission from the pods
/// finished before it (<see cref="JobHistory"/>, fed as pods leave on the simulated clock).
/// </summary>
public static class TimelineSimulation
{
    private const int SeriesPoints = 400;
    private const int CdfPoints = 201;
    private static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;

    /// <summary>Runs one policy on one seed with a queue order and default settings.</summary>
    /// <param name="workload">The workload; every pod must have a creation time.</param>
    /// <param name="plan">The seed's plan (its node priority and random stream are used; its pod order is not).</param>
    /// <param name="scorer">The policy.</param>
    /// <param name="fragmentation">The typical-task mix.</param>
    /// <param name="order">The queue order.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The result.</returns>
    /// <exception cref="InvalidOperationException">The workload has no times.</exception>
    public static RunResult Run(Workload workload, ArrivalPlan plan, NodeScorer scorer, FragmentationModel fragmentation, QueueOrder order, CancellationToken cancellationToken = default) =>
        Run(workload, plan, scorer, fragmentation, new TimelineSettings { Queue = order }, cancellationToken);

    /// <summary>Runs one policy on one seed.</summary>
    /// <param name="workload">The workload; every pod must have a creation time.</param>
    /// <param name="plan">The seed's plan (its node priority and random stream are used; its pod order is not).</param>
    /// <param name="scorer">The policy.</param>
    /// <param name="fragmentation">The typical-task mix.</param>
    /// <param name="settings">The queue order and its settings.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The result.</returns>
    /// <exception cref="InvalidOperationException">The workload has no times.</exception>
    public static RunResult Run(Workload workload, ArrivalPlan plan, NodeScorer scorer, FragmentationModel fragmentation, TimelineSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(settings);
        if (!workload.HasTimes)
        {
            throw new InvalidOperationException(NoTimesMessage(workload));
        }

        var clock = Stopwatch.StartNew();
        var run = new Replay(workload, plan, scorer, fragmentation, settings);
        run.Execute(cancellationToken);
        var result = run.Result();
        return new RunResult
        {
            Policy = scorer.Name,
            Seed = plan.Seed,
            Mode = SimulationMode.Timeline,
            Queue = QueueOrders.NameOf(settings.Queue),
            ArrivedPods = result.Arrived,
            PlacedPods = result.Placed,
            FinalAllocatedPercent = result.FinalAllocatedPercent,
            Elapsed = clock.Elapsed,
            Timeline = result.Stats,
        };
    }

    /// <summary>The refusal for a workload without times (the <c>multigpu*</c> openb lists).</summary>
    /// <param name="workload">The workload.</param>
    /// <returns>The message.</returns>
    public static string NoTimesMessage(Workload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        return $"the timeline mode replays creation and deletion times, and workload '{workload.Name}' has none " +
            "(its pod list lacks creation_time/deletion_time, as the openb multigpu* lists do); use --mode artifact or kube, or a pod list with times";
    }

    internal static double Percentile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(q * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    private static List<(double, double)> Downsample(List<(double Seconds, double Pct)> series)
    {
        if (series.Count <= SeriesPoints)
        {
            return series.Select(s => (s.Seconds, s.Pct)).ToList();
        }

        // The value in force at evenly spaced instants.
        var end = series[^1].Seconds;
        var result = new List<(double, double)>(SeriesPoints + 1);
        var j = 0;
        for (var k = 0; k <= SeriesPoints; k++)
        {
            var t = end * k / SeriesPoints;
            while (j + 1 < series.Count && series[j + 1].Seconds <= t)
            {
                j++;
            }

            result.Add((t, series[j].Pct));
        }

        return result;
    }

    /// <summary>One run's state: the event loop over arrivals, departures and (LAS) level crossings.</summary>
    private sealed class Replay
    {
        private readonly TimelineSettings _settings;
        private readonly ClusterState _state;
        private readonly PolicyPlacer _placer;
        private readonly double _capacity;
        private readonly WorkloadPod[] _pods;
        private readonly long[] _submit;
        private readonly long[] _life;      // −1: never leaves
        private readonly long[] _remaining; // work left, seconds
        private readonly long[] _runStart;
        private readonly long[] _runDelay;
        private readonly long[] _firstStart;
        private readonly long[] _completion;
        private readonly double[] _attained; // GPU-seconds before the current run
        private readonly double[] _key;
        private readonly int[] _generation;
        private readonly int[] _slot;
        private readonly double[] _gpus;
        private readonly bool _las;
        private readonly bool _priorityFirst;
        private readonly bool _feedHistory;
        private readonly WaitingQueue _waiting;
        private readonly PriorityQueue<(int Index, int Generation), (long Time, long Seq)> _events = new();
        private readonly HashSet<int>[] _runningOn;
        private readonly Dictionary<string, int> _slotOf;
        private readonly JobHistory _history = new();
        private readonly HashSet<int> _freed = [];
        private readonly List<(double Seconds, double Pct)> _series = [];
        private readonly long _origin;
        private readonly long _lastArrival;
        private long _seq;
        private long _now;
        private double _weighted;
        private double _peak;
        private long _lastTime;
        private int _preemptions;
        private double _lostGpuSeconds;
        private int _predicted;

        public Replay(Workload workload, ArrivalPlan plan, NodeScorer scorer, FragmentationModel fragmentation, TimelineSettings settings)
        {
            _settings = settings;
            _state = ArtifactSimulation.CreateState(workload, plan);
            var context = new ScoringContext(fragmentation, _state.Scale, plan.Random);
            _placer = new PolicyPlacer(_state, scorer, context) { AllocatedMilli = ArtifactSimulation.AllocatedMilli(_state) };
            _capacity = plan.GpuCapacityMilli;
            _las = settings.Queue == QueueOrder.Las;
            _priorityFirst = settings.Queue == QueueOrder.Priority || settings.PriorityFirst;
            _feedHistory = settings.Queue == QueueOrder.SjfPredicted; // only the predictor reads it
            _waiting = new WaitingQueue(settings.Queue == QueueOrder.SjfPredicted ? settings.Guard : null, _priorityFirst);

            // Arrivals by creation time, ties by name (a stable, seed-independent order).
            _pods = workload.Pods.ToArray();
            Array.Sort(_pods, static (a, b) =>
            {
                var c = a.CreatedAtSeconds!.Value.CompareTo(b.CreatedAtSeconds!.Value);
                return c != 0 ? c : string.CompareOrdinal(a.Pod.Name, b.Pod.Name);
            });
            var n = _pods.Length;
            _submit = new long[n];
            _life = new long[n];
            _remaining = new long[n];
            _runStart = new long[n];
            _runDelay = new long[n];
            _firstStart = new long[n];
            _completion = new long[n];
            _attained = new double[n];
            _key = new double[n];
            _generation = new int[n];
            _slot = new int[n];
            _gpus = new double[n];
            for (var i = 0; i < n; i++)
            {
                var p = _pods[i];
                _submit[i] = p.CreatedAtSeconds!.Value;
                _life[i] = p.RunSeconds ?? -1;
                _remaining[i] = _life[i];
                _firstStart[i] = -1;
                _completion[i] = -1;
                _slot[i] = -1;
                _gpus[i] = p.Pod.NeedsGpu ? p.Pod.TotalGpuMilli / 1000.0 : 0;
            }

            var nodes = _state.Nodes;
            _runningOn = new HashSet<int>[nodes.Length];
            _slotOf = new Dictionary<string, int>(nodes.Length, StringComparer.Ordinal);
            for (var k = 0; k < nodes.Length; k++)
            {
                _runningOn[k] = [];
                _slotOf[nodes[k].Name] = k;
            }

            _origin = n == 0 ? 0 : _submit[0];
            _lastArrival = n == 0 ? 0 : _submit[^1];
            _lastTime = _origin;
        }

        public int Arrived => _pods.Length;

        public int Placed { get; private set; }

        public double FinalAllocatedPercent => 100.0 * _placer.AllocatedMilli / _capacity;

        public void Execute(CancellationToken cancellationToken)
        {
            var next = 0;
            var processed = 0;
            while (next < _pods.Length || _events.Count > 0)
            {
                if ((++processed & 1023) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var ta = next < _pods.Length ? _submit[next] : long.MaxValue;
                var te = _events.TryPeek(out _, out var key) ? key.Time : long.MaxValue;
                if (te <= ta)
                {
                    // Every event at this instant, then one retry pass over the queue.
                    _now = te;
                    _freed.Clear();
                    var levelChanged = false;
                    while (_events.TryPeek(out var e, out var k) && k.Time == te)
                    {
                        _events.Dequeue();
                        if (e.Index < 0)
                        {
                            levelChanged = true;
                        }
                        else if (e.Generation == _generation[e.Index])
                        {
                            Complete(e.Index);
                        }
                    }

                    if (_freed.Count > 0)
                    {
                        _waiting.Retry(At(_now), MayFit, TryStart);
                    }

                    if (_las && (levelChanged || _freed.Count > 0))
                    {
                        PreemptForHeads();
                    }

                    Record(te);
                }
                else
                {
                    _now = ta;
                    var i = next++;
                    Submit(i);
                    Record(ta);
                }
            }
        }

        public (int Arrived, int Placed, double FinalAllocatedPercent, TimelineRunStats Stats) Result()
        {
            var cut = _pods.Length == 0 ? 0 : _submit[Math.Min(_pods.Length - 1, (int)(_settings.ReportAfterFraction * _pods.Length))];
            var jct = new List<double>(_pods.Length);
            var waits = new List<double>(_pods.Length);
            double slowdown = 0;
            var waited = 0;
            long lastCompletion = _origin;
            for (var i = 0; i < _pods.Length; i++)
            {
                if (_completion[i] >= 0)
                {
                    lastCompletion = Math.Max(lastCompletion, _completion[i]);
                }

                if (_firstStart[i] < 0 || _submit[i] < cut)
                {
                    continue;
                }

                if (_life[i] < 0)
                {
                    // Never leaves: only its wait is known.
                    var w = _firstStart[i] - _submit[i];
                    waits.Add(w);
                    waited += w > 0 ? 1 : 0;
                    continue;
                }

                if (_completion[i] < 0)
                {
                    continue;
                }

                var j = (double)(_completion[i] - _submit[i]);
                var delay = j - _life[i];
                jct.Add(j);
                waits.Add(delay);
                waited += delay > 0 ? 1 : 0;
                slowdown += Math.Max(1, j / Math.Max(_life[i], TimelineSettings.SlowdownBoundSeconds));
            }

            jct.Sort();
            waits.Sort();
            var makespan = (double)(lastCompletion - _origin);
            var quantiles = new double[jct.Count == 0 ? 0 : CdfPoints];
            for (var k = 0; k < quantiles.Length; k++)
            {
                quantiles[k] = jct[(int)Math.Round((double)k / (CdfPoints - 1) * (jct.Count - 1))];
            }

            var stats = new TimelineRunStats(
                waits.Count == 0 ? 0 : waits.Average(),
                Percentile(waits, 0.95),
                waits.Count == 0 ? 0 : waits[^1],
                waited,
                _waiting.Count,
                _lastArrival > _origin ? _weighted / (_lastArrival - _origin) : 0,
                _peak,
                Downsample(_series))
            {
                CountedPods = jct.Count,
                MeanJctSeconds = jct.Count == 0 ? 0 : jct.Average(),
                P50JctSeconds = Percentile(jct, 0.50),
                P95JctSeconds = Percentile(jct, 0.95),
                P99JctSeconds = Percentile(jct, 0.99),
                MeanBoundedSlowdown = jct.Count == 0 ? 0 : slowdown / jct.Count,
                ThroughputPerHour = makespan > 0 ? _completion.Count(c => c >= 0) / (makespan / 3600) : 0,
                MakespanSeconds = makespan,
                Preemptions = _preemptions,
                LostGpuHours = _lostGpuSeconds / 3600,
                Promoted = _waiting.PromotedTotal,
                PredictedPods = _predicted,
                JctQuantiles = quantiles,
            };
            return (_pods.Length, Placed, FinalAllocatedPercent, stats);
        }

        private static DateTimeOffset At(long seconds) => Epoch.AddSeconds(seconds);

        private void Submit(int i)
        {
            var pod = _pods[i].Pod;
            _key[i] = _settings.Queue switch
            {
                QueueOrder.SjfOracle => _life[i] < 0 ? double.PositiveInfinity : _life[i],
                QueueOrder.SjfPredicted => Predict(i),
                _ => 0,
            };

            // Every arrival gets a try at once (no head-of-line blocking, as in kube-scheduler); under LAS a level-0
            // arrival that fits nowhere may preempt.
            if (TryStart(i))
            {
                return;
            }

            Enqueue(i);
            if (_las && pod.NeedsGpu)
            {
                TryPreemptFor(i);
            }
        }

        private double Predict(int i)
        {
            if (_settings.Predictor.TryPredict(_pods[i].Pod, At(_submit[i]), _history, out var prediction)
                && double.IsFinite(prediction.Seconds) && prediction.Seconds > 0)
            {
                _predicted++;
                return prediction.Seconds;
            }

            return double.PositiveInfinity;
        }

        private void Enqueue(int i)
        {
            var order = _las ? _settings.Levels.LevelOf(_attained[i]) : _key[i];
            _waiting.Add(i, _pods[i].Pod, new QueueKey(_pods[i].Pod.Priority, At(_submit[i]), order, i));
        }

        // A waiting pod fit no node when it last tried, and since then only the nodes that pods
        // left have grown (placements only shrink nodes): it can fit now only on one of those.
        private bool MayFit(int i) => _placer.FitsAny(_pods[i].Pod, _freed);

        private bool TryStart(int i)
        {
            var pod = _pods[i].Pod;
            if (_placer.TryPlace(pod) is not { } node)
            {
                return false;
            }

            if (_firstStart[i] < 0)
            {
                _firstStart[i] = _now;
                Placed++;
            }

            if (_las)
            {
                var slot = _slotOf[node.Name];
                _slot[i] = slot;
                _runningOn[slot].Add(i);
            }

            _runStart[i] = _now;
            if (_life[i] >= 0)
            {
                _runDelay[i] = _attained[i] > 0 || _life[i] != _remaining[i] ? (long)_settings.RestartDelay.TotalSeconds : 0;
                var end = _now + _runDelay[i] + _remaining[i];
                _events.Enqueue((i, _generation[i]), (end, _seq++));
                if (_las && _gpus[i] > 0 && _settings.Levels.NextThreshold(_settings.Levels.LevelOf(_attained[i])) is { } threshold)
                {
                    var cross = _now + (long)Math.Ceiling((threshold - _attained[i]) / _gpus[i]);
                    if (cross < end)
                    {
                        _events.Enqueue((-1, 0), (cross, _seq++));
                    }
                }
            }

            return true;
        }

        private void Complete(int i)
        {
            var slot = _placer.Remove(_pods[i].Pod);
            if (slot >= 0)
            {
                _freed.Add(slot);
            }

            if (_las)
            {
                _runningOn[_slot[i]].Remove(i);
                _attained[i] += _gpus[i] * (_now - _runStart[i]);
                _slot[i] = -1;
            }

            _completion[i] = _now;
            if (_feedHistory)
            {
                _history.Add(new FinishedJob(_pods[i].Pod, At(_submit[i]), At(_now), _life[i]));
            }
        }

        private double AttainedNow(int i) => _attained[i] + (_gpus[i] * (_now - _runStart[i]));

        private bool Preemptible(int i) => _gpus[i] > 0 && _life[i] >= 0 && !string.Equals(_pods[i].Pod.QosClass, "LS", StringComparison.Ordinal);

        private void PreemptForHeads()
        {
            if (_waiting.Count == 0)
            {
                return;
            }

            foreach (var head in _waiting.Heads(At(_now)))
            {
                if (_slot[head] < 0 && _completion[head] < 0 && _pods[head].Pod.NeedsGpu)
                {
                    TryPreemptFor(head); // an earlier head's preemption may have started it
                }
            }
        }

        /// <summary>
        /// LAS: frees a node for waiting pod <paramref name="i"/> by preempting running pods (of its priority or lower when
        /// priority goes first) at a
        /// higher attained-service level (highest level first, latest submitted first), on the node that needs the fewest.
        /// </summary>
        private void TryPreemptFor(int i)
        {
            var pod = _pods[i].Pod;
            var level = _settings.Levels.LevelOf(_attained[i]);
            var nodes = _state.Nodes;
            List<int>? best = null;
            var victims = new List<(int Index, int Level)>();
            for (var k = 0; k < nodes.Length; k++)
            {
                victims.Clear();
                foreach (var r in _runningOn[k])
                {
                    int lr;
                    if (Preemptible(r) && (!_priorityFirst || _pods[r].Pod.Priority <= pod.Priority) && (lr = _settings.Levels.LevelOf(AttainedNow(r))) > level)
                    {
                        victims.Add((r, lr));
                    }
                }

                if (victims.Count == 0 || (best is not null && best.Count == 1))
                {
                    continue;
                }

                victims.Sort((a, b) => a.Level != b.Level ? b.Level.CompareTo(a.Level) : _submit[b.Index].CompareTo(_submit[a.Index]));
                var node = nodes[k];
                var chosen = new List<int>();
                foreach (var (v, _) in victims)
                {
                    if (best is not null && chosen.Count + 1 >= best.Count)
                    {
                        break;
                    }

                    _state.TryGetPod(_pods[v].Pod.Uid, out var placed);
                    node = node.WithoutPod(_pods[v].Pod, placed!.Cards.AsSpan(), node.Version);
                    chosen.Add(v);
                    if (FitChecker.Check(pod, node) == FitCode.Fits)
                    {
                        best = chosen;
                        break;
                    }
                }
            }

            if (best is null)
            {
                return;
            }

            _freed.Clear();
            foreach (var v in best)
            {
                Preempt(v);
            }

            if (_waiting.Remove(i, pod) && !TryStart(i))
            {
                Enqueue(i); // cannot happen: the freed node fits it
            }

            // The victims may fit elsewhere (a preempted pod is retried like any waiting pod).
            _waiting.Retry(At(_now), MayFit, TryStart);
        }

        private void Preempt(int v)
        {
            var slot = _placer.Remove(_pods[v].Pod);
            if (slot >= 0)
            {
                _freed.Add(slot);
            }

            _runningOn[_slot[v]].Remove(v);
            _slot[v] = -1;
            var elapsed = _now - _runStart[v];
            var useful = Math.Max(0, elapsed - _runDelay[v]);
            var done = _life[v] - _remaining[v] + useful;
            var every = Math.Max(1, (long)_settings.CheckpointEvery.TotalSeconds);
            var kept = done / every * every;
            _lostGpuSeconds += _gpus[v] * (done - kept + Math.Min(elapsed, _runDelay[v]));
            _remaining[v] = _life[v] - kept;
            _attained[v] += _gpus[v] * elapsed;
            _generation[v]++;
            _preemptions++;
            Enqueue(v);
        }

        private void Record(long t)
        {
            var pct = 100.0 * _placer.AllocatedMilli / _capacity;
            if (_lastTime < _lastArrival && _series.Count > 0)
            {
                _weighted += (Math.Min(t, _lastArrival) - _lastTime) * _series[^1].Pct;
            }

            _lastTime = t;
            _peak = Math.Max(_peak, pct);
            if (_series.Count > 0 && _series[^1].Seconds == t - _origin)
            {
                _series[^1] = (t - _origin, pct);
            }
            else
            {
                _series.Add((t - _origin, pct));
            }
        }
    }
}
