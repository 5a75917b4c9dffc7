-- A finished sweep of 10,000 trials with 20 epochs of 12 metrics each (2.5 million metric rows), for timing reads.
\set sweep '\'00000000-0000-7000-8000-000000010000\''
INSERT INTO sweeps (id, name, dataset, model, spec, skipped_cells, created_at, state, max_attempts, queue)
VALUES (:sweep, 'bench-10k', 'fashion-mnist', 'f1',
        '{"name":"bench-10k","dataset":"fashion-mnist","model":"f1","grid":{"batchSize":[32],"ghostBatchSize":[32],"regimeMultiplier":[1]}}',
        0, now(), 'active', 3, 'default');
INSERT INTO trials (id, sweep_id, batch_size, ghost_batch_size, regime_multiplier, seed, state, attempt, priority,
                    current_epoch, total_epochs, created_at, started_at, finished_at,
                    final_train_loss, final_train_accuracy, final_val_loss, final_val_accuracy,
                    final_generalization_gap, final_weight_distance, final_steps, final_wall_seconds)
SELECT gen_random_uuid(), :sweep, 32 * (1 + i % 100), 32, 1 + (i / 100) % 10, i / 1000, 'completed', 1, 0,
       20, 20, now(), now() - interval '1 hour', now(),
       random(), 0.9 + random() / 10, random(), 0.85 + random() / 10, random() / 20, 10 + random(), 2000, 60 + random()
  FROM generate_series(0, 9999) AS i;
INSERT INTO metric_points (trial_id, key, step, epoch, value, recorded_at)
SELECT t.id, k, e * 100, e, random(), now()
  FROM trials t, generate_series(0, 20) AS e,
       unnest(ARRAY['trainLoss','trainAccuracy','valLoss','valAccuracy','generalizationGap','weightDistance',
                    'learningRate','steps','wallSeconds','runningTrainLoss','runningTrainAccuracy','samplesPerSecond']) AS k
 WHERE t.sweep_id = :sweep;
ANALYZE;
