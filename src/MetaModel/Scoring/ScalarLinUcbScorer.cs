namespace MetaModel.Scoring;

/// <summary>
/// A plain scalar LinUCB over full d×d matrices: the reference that tests compare
/// <see cref="ContextualBanditScorer"/> against, and the naive baseline of the benchmarks.
/// </summary>
/// <remarks>
/// Same mathematics as the SIMD scorer (discounted Sherman–Morrison updates, re-anchoring of a decayed prior),
/// written as obvious loops with no packing, no vectorization and no concurrency control. Not thread-safe.
/// </remarks>
internal sealed class ScalarLinUcbScorer
{
    private readonly float[][] _inverse;
    private readonly float[][] _gram;
    private readonly float[][] _rewards;
    private readonly float[][] _theta;
    private readonly double[] _priorMass;
    private readonly float[] _u;
    private readonly int _d;
    private readonly float _exploration;
    private readonly float _gamma;
    private readonly double _ridgePrior;

    public ScalarLinUcbScorer(
        int armCount,
        int dimension,
        double exploration,
        double ridgePrior,
        double forgettingFactor = 1.0)
    {
        _d = dimension;
        _exploration = (float)exploration;
        _gamma = (float)forgettingFactor;
        _ridgePrior = ridgePrior;
        _inverse = new float[armCount][];
        _gram = new float[armCount][];
        _rewards = new float[armCount][];
        _theta = new float[armCount][];
        _priorMass = new double[armCount];
        _u = new float[dimension];
        for (int k = 0; k < armCount; k++)
        {
            _inverse[k] = new float[dimension * dimension];
            _gram[k] = new float[dimension * dimension];
            _rewards[k] = new float[dimension];
            _theta[k] = new float[dimension];
            _priorMass[k] = ridgePrior;
            for (int i = 0; i < dimension; i++)
            {
                _inverse[k][(i * dimension) + i] = (float)(1.0 / ridgePrior);
                _gram[k][(i * dimension) + i] = (float)ridgePrior;
            }
        }
    }

    public int ArmCount => _theta.Length;

    /// <summary>Gets arm k's A⁻¹ as a full row-major matrix.</summary>
    public float[] Inverse(int arm) => _inverse[arm];

    /// <summary>Gets arm k's A as a full row-major matrix.</summary>
    public float[] Gram(int arm) => _gram[arm];

    /// <summary>Gets arm k's θ.</summary>
    public float[] Theta(int arm) => _theta[arm];

    /// <summary>Writes mean θₖ·x and width √(xᵀAₖ⁻¹x) for every arm.</summary>
    public void Estimate(
        ReadOnlySpan<float> x,
        Span<float> means,
        Span<float> widths)
    {
        for (int k = 0; k < ArmCount; k++)
        {
            float[] p = _inverse[k];
            float quadratic = 0;
            for (int i = 0; i < _d; i++)
            {
                float row = 0;
                for (int j = 0; j < _d; j++)
                {
                    row += p[(i * _d) + j] * x[j];
                }

                quadratic += x[i] * row;
            }

            float mean = 0;
            for (int i = 0; i < _d; i++)
            {
                mean += _theta[k][i] * x[i];
            }

            means[k] = mean;
            widths[k] = MathF.Sqrt(MathF.Max(quadratic, 0f));
        }
    }

    /// <summary>Writes θₖ·x + α√(xᵀAₖ⁻¹x) for every arm, using <paramref name="widths"/> as scratch.</summary>
    public void Score(
        ReadOnlySpan<float> x,
        Span<float> scores,
        Span<float> widths)
    {
        Estimate(x, scores, widths);
        for (int k = 0; k < ArmCount; k++)
        {
            scores[k] += _exploration * widths[k];
        }
    }

    /// <summary>
    /// Applies (x, r) to arm k: A ← γA + xxᵀ, b ← γb + r·x, A⁻¹ by Sherman–Morrison, θ = A⁻¹b.
    /// </summary>
    public void Update(
        int arm,
        ReadOnlySpan<float> x,
        float reward)
    {
        float[] p = _inverse[arm];
        float[] a = _gram[arm];
        float[] b = _rewards[arm];
        for (int i = 0; i < _d; i++)
        {
            float sum = 0;
            for (int j = 0; j < _d; j++)
            {
                sum += p[(i * _d) + j] * x[j];
            }

            _u[i] = sum;
        }

        float s = 0;
        for (int i = 0; i < _d; i++)
        {
            s += x[i] * _u[i];
        }

        float c = _gamma + MathF.Max(s, 0f);
        for (int i = 0; i < _d; i++)
        {
            for (int j = 0; j < _d; j++)
            {
                p[(i * _d) + j] = (p[(i * _d) + j] - (_u[i] * _u[j] / c)) / _gamma;
                a[(i * _d) + j] = (_gamma * a[(i * _d) + j]) + (x[i] * x[j]);
            }

            b[i] = (_gamma * b[i]) + (reward * x[i]);
        }

        _priorMass[arm] *= _gamma;
        if (_priorMass[arm] < _ridgePrior * ArmState.ReanchorFraction)
        {
            for (int i = 0; i < _d; i++)
            {
                a[(i * _d) + i] += (float)(_ridgePrior - _priorMass[arm]);
            }

            _priorMass[arm] = _ridgePrior;
            InvertInto(a, p, _d);
        }

        for (int i = 0; i < _d; i++)
        {
            float sum = 0;
            for (int j = 0; j < _d; j++)
            {
                sum += p[(i * _d) + j] * b[j];
            }

            _theta[arm][i] = sum;
        }
    }

    /// <summary>Gauss–Jordan inversion with partial pivoting in double precision, written out in full.</summary>
    internal static void InvertInto(
        float[] matrix,
        float[] inverse,
        int n)
    {
        var work = new double[n, 2 * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                work[i, j] = matrix[(i * n) + j];
            }

            work[i, n + i] = 1;
        }

        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++)
            {
                if (Math.Abs(work[r, col]) > Math.Abs(work[pivot, col]))
                {
                    pivot = r;
                }
            }

            for (int j = 0; j < 2 * n; j++)
            {
                (work[col, j], work[pivot, j]) = (work[pivot, j], work[col, j]);
            }

            double scale = work[col, col];
            for (int j = 0; j < 2 * n; j++)
            {
                work[col, j] /= scale;
            }

            for (int r = 0; r < n; r++)
            {
                if (r != col)
                {
                    double factor = work[r, col];
                    for (int j = 0; j < 2 * n; j++)
                    {
                        work[r, j] -= factor * work[col, j];
                    }
                }
            }
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                inverse[(i * n) + j] = (float)work[i, n + j];
            }
        }
    }
}
