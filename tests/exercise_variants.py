"""Other answers to every auto-graded exercise: forms a competent student could write, and plausible mistakes.

``VARIANTS[notebook][grade id of the answer cell]`` holds ``right`` answers (each must pass the
self-check and earn the test cell's points) and ``wrong`` ones (each must fail both).
test_exercise_variants.py runs them through the notebooks' own cells.
"""

VARIANTS = {
    "00-setup": {
        "neuron_model": {
            "right": [
                "def build_neuron(learning_rate=0.05):\n"
                "    inputs = keras.Input(shape=(1,))\n"
                "    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))\n"
                "    model.compile(optimizer=keras.optimizers.SGD(learning_rate=learning_rate), loss=keras.losses.MeanSquaredError())\n"
                "    return model",
                "def build_neuron(learning_rate=0.05):\n"
                "    model = keras.Sequential()\n"
                "    model.add(keras.Input(shape=(1,)))\n"
                "    model.add(keras.layers.Dense(units=1))\n"
                "    model.compile(loss='mean_squared_error', optimizer=keras.optimizers.SGD(learning_rate))\n"
                "    return model",
            ],
            "wrong": [
                "def build_neuron(learning_rate=0.05):\n"  # ignores its argument
                "    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])\n"
                "    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss='mse')\n"
                "    return model",
                "def build_neuron(learning_rate=0.05):\n"  # the wrong loss
                "    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])\n"
                "    model.compile(optimizer=keras.optimizers.SGD(learning_rate=learning_rate), loss='mae')\n"
                "    return model",
            ],
        },
        "image_batch_shape": {
            "right": [
                "def image_batch_shape(n_images, height, width):\n    return tuple([n_images, height, width, 3])",
                "def image_batch_shape(n_images, height, width):\n    channels = 3\n    return n_images, height, width, channels",
            ],
            "wrong": [
                "def image_batch_shape(n_images, height, width):\n    return (height, width, 3, n_images)",  # the book's order
                "def image_batch_shape(n_images, height, width):\n    return (n_images, 3, height, width)",  # channels first
            ],
        },
        "dense_param_count": {
            "right": [
                "def dense_params(n_inputs, units):\n    return (n_inputs + 1) * units",
                "def dense_params(n_inputs, units):\n    weights = n_inputs * units\n    biases = units\n    return int(weights + biases)",
            ],
            "wrong": [
                "def dense_params(n_inputs, units):\n    return n_inputs * units",  # the book's count: no biases
                "def dense_params(n_inputs, units):\n    return n_inputs * units + n_inputs",
            ],
        },
    },
    "01-building-blocks": {
        "bce_by_hand": {
            "right": [
                "import math\n"
                "def binary_crossentropy_by_hand(y_true, p):\n"
                "    total = 0.0\n"
                "    for y, q in zip(np.ravel(y_true), np.ravel(p)):\n"
                "        q = min(max(float(q), 1e-7), 1 - 1e-7)\n"
                "        total += -(y * math.log(q) + (1 - y) * math.log(1 - q))\n"
                "    return total / len(np.ravel(y_true))",
                "def binary_crossentropy_by_hand(y_true, p):\n"
                "    y, q = np.asarray(y_true, float), np.clip(np.asarray(p, float), 1e-7, 1 - 1e-7)\n"
                "    return float(np.mean(np.where(y == 1, -np.log(q), -np.log(1 - q))))",
            ],
            "wrong": [
                "def binary_crossentropy_by_hand(y_true, p):\n"  # no clipping
                "    y, q = np.asarray(y_true, float), np.asarray(p, float)\n"
                "    with np.errstate(divide='ignore', invalid='ignore'):\n"
                "        return float(-np.mean(y * np.log(q) + (1 - y) * np.log(1 - q)))",
                "def binary_crossentropy_by_hand(y_true, p):\n"  # a sum, not a mean
                "    y, q = np.asarray(y_true, float), np.clip(np.asarray(p, float), 1e-7, 1 - 1e-7)\n"
                "    return float(-np.sum(y * np.log(q) + (1 - y) * np.log(1 - q)))",
            ],
        },
        "mlp_param_count": {
            "right": [
                "def mlp_params(n_inputs, hidden_units, n_outputs):\n"
                "    total, previous = 0, n_inputs\n"
                "    for units in list(hidden_units) + [n_outputs]:\n"
                "        total += previous * units + units\n"
                "        previous = units\n"
                "    return total",
                "def mlp_params(n_inputs, hidden_units, n_outputs):\n"
                "    sizes = np.array([n_inputs, *hidden_units, n_outputs])\n"
                "    return int(np.sum((sizes[:-1] + 1) * sizes[1:]))",
            ],
            "wrong": [
                "def mlp_params(n_inputs, hidden_units, n_outputs):\n"  # forgets the output layer
                "    sizes = [n_inputs, *hidden_units]\n"
                "    return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))",
                "def mlp_params(n_inputs, hidden_units, n_outputs):\n"  # forgets the biases
                "    sizes = [n_inputs, *hidden_units, n_outputs]\n"
                "    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))",
            ],
        },
        "build_softmax_classifier": {
            "right": [
                "def build_softmax_classifier(n_features, n_classes, hidden_units=32, dropout=0.2):\n"
                "    inputs = keras.Input(shape=(n_features,))\n"
                "    x = keras.layers.ReLU()(keras.layers.Dense(hidden_units)(inputs))\n"
                "    x = keras.layers.Dropout(dropout)(x)\n"
                "    model = keras.Model(inputs, keras.layers.Dense(n_classes, activation='softmax')(x))\n"
                "    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3),\n"
                "                  loss=keras.losses.SparseCategoricalCrossentropy(),\n"
                "                  metrics=[keras.metrics.SparseCategoricalAccuracy()])\n"
                "    return model",
                "def build_softmax_classifier(n_features, n_classes, hidden_units=32, dropout=0.2):\n"
                "    model = keras.Sequential([keras.Input(shape=(n_features,)), keras.layers.Dense(hidden_units),\n"
                "                              keras.layers.Activation('relu'), keras.layers.Dropout(rate=dropout),\n"
                "                              keras.layers.Dense(n_classes), keras.layers.Softmax()])\n"
                "    model.compile(optimizer=keras.optimizers.Adam(), loss='sparse_categorical_crossentropy', metrics=['accuracy'])\n"
                "    return model",
            ],
            "wrong": [
                "def build_softmax_classifier(n_features, n_classes, hidden_units=32, dropout=0.2):\n"  # one-hot loss
                "    model = keras.Sequential([keras.Input(shape=(n_features,)), keras.layers.Dense(hidden_units, activation='relu'),\n"
                "                              keras.layers.Dropout(dropout), keras.layers.Dense(n_classes, activation='softmax')])\n"
                "    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss='categorical_crossentropy', metrics=['accuracy'])\n"
                "    return model",
                "def build_softmax_classifier(n_features, n_classes, hidden_units=32, dropout=0.2):\n"  # a fixed dropout rate
                "    model = keras.Sequential([keras.Input(shape=(n_features,)), keras.layers.Dense(hidden_units, activation='relu'),\n"
                "                              keras.layers.Dropout(0.5), keras.layers.Dense(n_classes, activation='softmax')])\n"
                "    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss='sparse_categorical_crossentropy', metrics=['accuracy'])\n"
                "    return model",
            ],
        },
        "confusion_metrics_by_hand": {
            "right": [
                "def confusion_metrics(y_true, y_pred):\n"
                "    t, p = np.asarray(y_true).astype(bool), np.asarray(y_pred).astype(bool)\n"
                "    tp, tn, fp, fn = (int(np.sum(t & p)), int(np.sum(~t & ~p)), int(np.sum(~t & p)), int(np.sum(t & ~p)))\n"
                "    return {'accuracy': (tp + tn) / len(t), 'sensitivity': tp / (tp + fn), 'specificity': tn / (tn + fp),\n"
                "            'precision': tp / (tp + fp), 'npv': tn / (tn + fn), 'f1': 2 * tp / (2 * tp + fp + fn)}",
                "def confusion_metrics(y_true, y_pred):\n"
                "    tp, tn, fp, fn = confusion_counts(y_true, y_pred)\n"
                "    result = {}\n"
                "    result['accuracy'] = float((tp + tn) / (tp + tn + fp + fn))\n"
                "    result['sensitivity'] = float(tp / (tp + fn))\n"
                "    result['specificity'] = float(tn / (tn + fp))\n"
                "    result['precision'] = float(tp / (tp + fp))\n"
                "    result['npv'] = float(tn / (tn + fn))\n"
                "    result['f1'] = 2 / (1 / result['precision'] + 1 / result['sensitivity'])\n"
                "    return result",
            ],
            "wrong": [
                "def confusion_metrics(y_true, y_pred):\n"  # sensitivity and specificity swapped
                "    tp, tn, fp, fn = confusion_counts(y_true, y_pred)\n"
                "    p, r = tp / (tp + fp), tp / (tp + fn)\n"
                "    return {'accuracy': (tp + tn) / (tp + tn + fp + fn), 'sensitivity': tn / (tn + fp), 'specificity': r,\n"
                "            'precision': p, 'npv': tn / (tn + fn), 'f1': 2 * p * r / (p + r)}",
                "def confusion_metrics(y_true, y_pred):\n"  # NPV with the wrong denominator
                "    tp, tn, fp, fn = confusion_counts(y_true, y_pred)\n"
                "    p, r = tp / (tp + fp), tp / (tp + fn)\n"
                "    return {'accuracy': (tp + tn) / (tp + tn + fp + fn), 'sensitivity': r, 'specificity': tn / (tn + fp),\n"
                "            'precision': p, 'npv': tn / (tn + fp), 'f1': 2 * p * r / (p + r)}",
            ],
        },
        "f1_threshold": {
            "right": [
                "def best_f1_threshold(y_true, probabilities, thresholds):\n"
                "    def f1(threshold):\n"
                "        tp, tn, fp, fn = confusion_counts(y_true, np.asarray(probabilities) >= threshold)\n"
                "        return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)\n"
                "    scores = [f1(t) for t in thresholds]\n"
                "    return thresholds[int(np.argmax(scores))]",
                "def best_f1_threshold(y_true, probabilities, thresholds):\n"
                "    y, p = np.asarray(y_true).ravel() == 1, np.asarray(probabilities).ravel()\n"
                "    best, best_score = None, -1\n"
                "    for threshold in thresholds:\n"
                "        decided = p >= threshold\n"
                "        tp = np.sum(decided & y)\n"
                "        precision = tp / decided.sum() if decided.sum() else 0\n"
                "        recall = tp / y.sum() if y.sum() else 0\n"
                "        score = 2 * precision * recall / (precision + recall) if precision + recall else 0\n"
                "        if score > best_score:\n"
                "            best, best_score = threshold, score\n"
                "    return best",
            ],
            "wrong": [
                "def best_f1_threshold(y_true, probabilities, thresholds):\n"  # > where the task says >=
                "    best, best_f1 = None, -1.0\n"
                "    for threshold in thresholds:\n"
                "        tp, tn, fp, fn = confusion_counts(y_true, np.asarray(probabilities) > threshold)\n"
                "        f1 = 2 * tp / (2 * tp + fp + fn) if tp > 0 else 0.0\n"
                "        if f1 > best_f1:\n"
                "            best, best_f1 = threshold, f1\n"
                "    return best",
                "def best_f1_threshold(y_true, probabilities, thresholds):\n"  # returns the F1, not the threshold
                "    scores = []\n"
                "    for threshold in thresholds:\n"
                "        tp, tn, fp, fn = confusion_counts(y_true, np.asarray(probabilities) >= threshold)\n"
                "        scores.append(2 * tp / (2 * tp + fp + fn) if tp > 0 else 0.0)\n"
                "    return max(scores)",
            ],
        },
    },
    "02-dnn-regression": {
        "boston_standardise": {
            "right": [
                "def standardise(train, *others):\n"
                "    train = np.array(train, dtype=float)\n"
                "    mean, sd = np.mean(train, axis=0, keepdims=True), np.std(train, axis=0, keepdims=True)\n"
                "    return [(np.array(x, dtype=float) - mean) / sd for x in [train, *others]]",
                "def standardise(train, *others):\n"
                "    mean, sd = np.asarray(train).mean(axis=0), np.asarray(train).std(axis=0)\n"
                "    result = []\n"
                "    for x in (train,) + others:\n"
                "        result.append((x - mean) / sd)\n"
                "    return result",
            ],
            "wrong": [
                "def standardise(train, *others):\n"  # in place: changes the caller's arrays
                "    mean, sd = train.mean(axis=0), train.std(axis=0)\n"
                "    for x in (train, *others):\n"
                "        x -= mean\n"
                "        x /= sd\n"
                "    return [train, *others]",
                "def standardise(train, *others):\n"  # each array with its own statistics
                "    return [(np.asarray(x, float) - np.mean(x, axis=0)) / np.std(x, axis=0) for x in (train, *others)]",
            ],
        },
        "boston_price_model": {
            "right": [
                "def build_price_model(n_features, learning_rate=0.002):\n"
                "    inputs = keras.Input(shape=(n_features,))\n"
                "    x = keras.layers.Dense(64, activation='relu')(inputs)\n"
                "    x = keras.layers.Dense(64, activation='relu')(x)\n"
                "    model = keras.Model(inputs, keras.layers.Dense(1, activation=None)(x))\n"
                "    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss=keras.losses.MeanAbsoluteError(),\n"
                "                  metrics=[keras.metrics.MeanAbsolutePercentageError()])\n"
                "    return model",
                "def build_price_model(n_features, learning_rate=0.002):\n"
                "    model = keras.Sequential([keras.Input(shape=(n_features,)), keras.layers.Dense(64), keras.layers.ReLU(),\n"
                "                              keras.layers.Dense(64), keras.layers.Activation('relu'), keras.layers.Dense(1)])\n"
                "    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss='mean_absolute_error', metrics=['MAPE'])\n"
                "    return model",
            ],
            "wrong": [
                "def build_price_model(n_features, learning_rate=0.002):\n"  # a ReLU output
                "    model = keras.Sequential([keras.Input(shape=(n_features,)), keras.layers.Dense(64, activation='relu'),\n"
                "                              keras.layers.Dense(64, activation='relu'), keras.layers.Dense(1, activation='relu')])\n"
                "    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss='mae', metrics=['mape'])\n"
                "    return model",
                "def build_price_model(n_features, learning_rate=0.002):\n"  # the MSE loss
                "    model = keras.Sequential([keras.Input(shape=(n_features,)), keras.layers.Dense(64, activation='relu'),\n"
                "                              keras.layers.Dense(64, activation='relu'), keras.layers.Dense(1)])\n"
                "    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss='mse', metrics=['mape'])\n"
                "    return model",
            ],
        },
        "boston_early_stopping": {
            "right": [
                "def make_early_stopping(patience=10):\n"
                "    return keras.callbacks.EarlyStopping(patience=patience, restore_best_weights=True)",  # val_loss is the default
                "def make_early_stopping(patience=10):\n"
                "    callback = keras.callbacks.EarlyStopping(monitor='val_loss', mode='min', min_delta=0, patience=patience,\n"
                "                                             restore_best_weights=True, verbose=1)\n"
                "    return callback",
            ],
            "wrong": [
                "def make_early_stopping(patience=10):\n"  # keeps the last weights
                "    return keras.callbacks.EarlyStopping(monitor='val_loss', patience=patience)",
                "def make_early_stopping(patience=10):\n"  # watches the training loss
                "    return keras.callbacks.EarlyStopping(monitor='loss', patience=patience, restore_best_weights=True)",
            ],
        },
        "boston_kfold": {
            "right": [
                "def kfold_mae(x, y, k, build_fn, epochs, batch_size=32):\n"
                "    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)\n"
                "    maes = []\n"
                "    for held in np.array_split(np.arange(len(x)), k):\n"
                "        keep = np.setdiff1d(np.arange(len(x)), held)\n"
                "        mean, sd = x[keep].mean(axis=0), x[keep].std(axis=0)\n"
                "        model = build_fn()\n"
                "        model.fit((x[keep] - mean) / sd, y[keep], epochs=epochs, batch_size=batch_size, verbose=0)\n"
                "        guess = model.predict((x[held] - mean) / sd, verbose=0).reshape(-1)\n"
                "        maes.append(float(np.abs(guess - y[held]).mean()))\n"
                "    return maes",
                "def kfold_mae(x, y, k, build_fn, epochs, batch_size=32):\n"
                "    x, y = np.asarray(x), np.asarray(y)\n"
                "    folds = np.array_split(np.arange(len(x)), k)\n"
                "    result = []\n"
                "    for i, fold in enumerate(folds):\n"
                "        rest = np.concatenate(folds[:i] + folds[i + 1:])\n"
                "        x_fit, x_fold = standardise(x[rest], x[fold])\n"
                "        model = build_fn()\n"
                "        model.fit(x_fit, y[rest], epochs=epochs, batch_size=batch_size, verbose=0)\n"
                "        result.append(float(np.mean(np.abs(np.ravel(model.predict(x_fold, verbose=0)) - y[fold]))))\n"
                "    return result",
            ],
            "wrong": [
                "def kfold_mae(x, y, k, build_fn, epochs, batch_size=32):\n"  # statistics from every row: leakage
                "    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)\n"
                "    xs = (x - x.mean(axis=0)) / x.std(axis=0)\n"
                "    maes = []\n"
                "    for held in np.array_split(np.arange(len(x)), k):\n"
                "        keep = np.setdiff1d(np.arange(len(x)), held)\n"
                "        model = build_fn()\n"
                "        model.fit(xs[keep], y[keep], epochs=epochs, batch_size=batch_size, verbose=0)\n"
                "        maes.append(float(np.mean(np.abs(model.predict(xs[held], verbose=0).ravel() - y[held]))))\n"
                "    return maes",
                "def kfold_mae(x, y, k, build_fn, epochs, batch_size=32):\n"  # one model for every fold
                "    x, y = np.asarray(x), np.asarray(y)\n"
                "    model = build_fn()\n"
                "    maes = []\n"
                "    for held in np.array_split(np.arange(len(x)), k):\n"
                "        keep = np.setdiff1d(np.arange(len(x)), held)\n"
                "        x_fit, x_held = standardise(x[keep], x[held])\n"
                "        model.fit(x_fit, y[keep], epochs=epochs, batch_size=batch_size, verbose=0)\n"
                "        maes.append(float(np.mean(np.abs(model.predict(x_held, verbose=0).ravel() - y[held]))))\n"
                "    return maes",
            ],
        },
        "boston_price_errors": {
            "right": [
                "def price_errors(y_true, y_pred):\n"
                "    errors = [abs(float(p) - float(t)) for t, p in zip(np.ravel(y_true), np.ravel(y_pred))]\n"
                "    return {'mae_dollars': 1000 * sum(errors) / len(errors), 'median_dollars': 1000 * float(np.median(errors)),\n"
                "            'mape': 100 * sum(e / abs(float(t)) for e, t in zip(errors, np.ravel(y_true))) / len(errors)}",
                "def price_errors(y_true, y_pred):\n"
                "    y_true, y_pred = np.reshape(y_true, -1), np.reshape(y_pred, -1)\n"
                "    mape = float(keras.losses.mean_absolute_percentage_error(y_true, y_pred))\n"
                "    gap = np.abs(y_true - y_pred) * 1000\n"
                "    return dict(mae_dollars=float(gap.mean()), median_dollars=float(np.median(gap)), mape=mape)",
            ],
            "wrong": [
                "def price_errors(y_true, y_pred):\n"  # no ravel: (n,) against (n, 1) broadcasts to (n, n)
                "    errors = np.abs(np.asarray(y_pred, float) - np.asarray(y_true, float))\n"
                "    return {'mae_dollars': float(errors.mean() * 1000), 'median_dollars': float(np.median(errors) * 1000),\n"
                "            'mape': float(100 * np.mean(errors / np.abs(np.asarray(y_true, float))))}",
                "def price_errors(y_true, y_pred):\n"  # MAPE as a fraction, not in %
                "    y_true, y_pred = np.ravel(y_true).astype(float), np.ravel(y_pred).astype(float)\n"
                "    errors = np.abs(y_pred - y_true)\n"
                "    return {'mae_dollars': float(errors.mean() * 1000), 'median_dollars': float(np.median(errors) * 1000),\n"
                "            'mape': float(np.mean(errors / y_true))}",
            ],
        },
    },
    "03-mnist-mlp": {
        "mnist_flatten_scale": {
            "right": [
                "def to_unit_vectors(images):\n    return (images / 255.0).reshape(len(images), 784).astype(np.float32)",
                "def to_unit_vectors(images):\n    return np.float32(images.reshape(-1, 28 * 28)) / np.float32(255)",
            ],
            "wrong": [
                "def to_unit_vectors(images):\n    return images.reshape(len(images), -1).astype('float32')",  # not scaled
                "def to_unit_vectors(images):\n    return images.transpose(0, 2, 1).reshape(len(images), -1).astype('float32') / 255",  # columns first
            ],
        },
        "mnist_seed_model": {
            "right": [
                "def build_compiled_seed(learning_rate=0.001):\n"
                "    net = keras.Sequential([keras.Input(shape=(784,)), keras.layers.Dense(64), keras.layers.Activation('relu'),\n"
                "                            keras.layers.Dense(64), keras.layers.ReLU(), keras.layers.Dense(10), keras.layers.Softmax()])\n"
                "    net.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss=keras.losses.CategoricalCrossentropy(),\n"
                "                metrics=[keras.metrics.CategoricalAccuracy()])\n"
                "    return net",
                "def build_compiled_seed(learning_rate=0.001):\n"
                "    inputs = keras.Input(shape=(784,))\n"
                "    x = keras.layers.Dense(64, activation='relu')(inputs)\n"
                "    x = keras.layers.Dense(64, activation=keras.activations.relu)(x)\n"
                "    net = keras.Model(inputs, keras.layers.Dense(10, activation='softmax')(x))\n"
                "    net.compile(optimizer=keras.optimizers.Adam(learning_rate), loss='categorical_crossentropy', metrics=['accuracy'])\n"
                "    return net",
            ],
            "wrong": [
                "def build_compiled_seed(learning_rate=0.001):\n"  # sigmoid hidden layers
                "    net = keras.Sequential([keras.Input(shape=(784,)), keras.layers.Dense(64, activation='sigmoid'),\n"
                "                            keras.layers.Dense(64, activation='sigmoid'), keras.layers.Dense(10, activation='softmax')])\n"
                "    net.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss='categorical_crossentropy', metrics=['accuracy'])\n"
                "    return net",
                "def build_compiled_seed(learning_rate=0.001):\n"  # the integer-label loss
                "    net = keras.Sequential([keras.Input(shape=(784,)), keras.layers.Dense(64, activation='relu'),\n"
                "                            keras.layers.Dense(64, activation='relu'), keras.layers.Dense(10, activation='softmax')])\n"
                "    net.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss='sparse_categorical_crossentropy', metrics=['accuracy'])\n"
                "    return net",
            ],
        },
        "mnist_labels_loss": {
            "right": [
                "def targets_and_loss(labels, one_hot):\n"
                "    labels = np.asarray(labels)\n"
                "    if one_hot:\n"
                "        return np.eye(10, dtype='float32')[labels], keras.losses.CategoricalCrossentropy()\n"
                "    return labels, keras.losses.SparseCategoricalCrossentropy()",
                "def targets_and_loss(labels, one_hot):\n"
                "    return (keras.utils.to_categorical(labels, 10), keras.losses.categorical_crossentropy) if one_hot else (list(labels), 'sparse_categorical_crossentropy')",
            ],
            "wrong": [
                "def targets_and_loss(labels, one_hot):\n"  # the one-hot loss for integer labels
                "    if one_hot:\n"
                "        return keras.utils.to_categorical(labels, 10), 'categorical_crossentropy'\n"
                "    return np.asarray(labels), 'categorical_crossentropy'",
                "def targets_and_loss(labels, one_hot):\n"  # the losses swapped
                "    if one_hot:\n"
                "        return keras.utils.to_categorical(labels, 10), 'sparse_categorical_crossentropy'\n"
                "    return np.asarray(labels), 'categorical_crossentropy'",
            ],
        },
        "mnist_save_reload": {
            "right": [
                "def reload_copies(model, build_fn, folder):\n"
                "    import os\n"
                "    full_path, weights_path = os.path.join(folder, 'digits.keras'), os.path.join(folder, 'digits.weights.h5')\n"
                "    keras.saving.save_model(model, full_path)\n"
                "    model.save_weights(weights_path)\n"
                "    copy = build_fn()\n"
                "    copy.load_weights(weights_path)\n"
                "    return keras.saving.load_model(full_path), copy",
                "def reload_copies(model, build_fn, folder):\n"
                "    model.save(str(folder / 'm.keras'))\n"
                "    model.save_weights(str(folder / 'm.weights.h5'))\n"
                "    weights_copy = build_fn()\n"
                "    weights_copy.load_weights(str(folder / 'm.weights.h5'))\n"
                "    return (keras.models.load_model(str(folder / 'm.keras')), weights_copy)",
            ],
            "wrong": [
                "def reload_copies(model, build_fn, folder):\n"  # Keras 2's .h5 file
                "    model.save(folder / 'model.h5')\n"
                "    model.save_weights(folder / 'model.weights.h5')\n"
                "    weights_copy = build_fn()\n"
                "    weights_copy.load_weights(folder / 'model.weights.h5')\n"
                "    return keras.models.load_model(folder / 'model.h5'), weights_copy",
                "def reload_copies(model, build_fn, folder):\n"  # the weights are saved but never loaded
                "    model.save(folder / 'model.keras')\n"
                "    model.save_weights(folder / 'model.weights.h5')\n"
                "    return keras.models.load_model(folder / 'model.keras'), build_fn()",
            ],
        },
        "mnist_predict_digits": {
            "right": [
                "def predict_digits(model, x):\n    return model.predict(x, verbose=0).argmax(axis=-1)",
                "def predict_digits(model, x):\n    return np.array([int(np.argmax(row)) for row in keras.ops.convert_to_numpy(model(x))])",
            ],
            "wrong": [
                "def predict_digits(model, x):\n    return model.predict(x, verbose=0).max(axis=1)",  # the probability, not the class
                "def predict_digits(model, x):\n    return np.argmax(model.predict(x, verbose=0), axis=0)",  # the wrong axis
            ],
        },
        "mnist_confusion_matrix": {
            "right": [
                "def confusion_counts(true, predicted, n_classes=10):\n"
                "    matrix = np.zeros((n_classes, n_classes), dtype=np.int64)\n"
                "    for t, p in zip(true, predicted):\n"
                "        matrix[int(t), int(p)] += 1\n"
                "    return matrix\n"
                "\n"
                "def most_confused(matrix):\n"
                "    m = np.asarray(matrix)\n"
                "    best = max(((i, j) for i in range(len(m)) for j in range(len(m)) if i != j), key=lambda ij: m[ij])\n"
                "    return best",
                "def confusion_counts(true, predicted, n_classes=10):\n"
                "    flat = np.asarray(true) * n_classes + np.asarray(predicted)\n"
                "    return np.bincount(flat, minlength=n_classes * n_classes).reshape(n_classes, n_classes)\n"
                "\n"
                "def most_confused(matrix):\n"
                "    off = np.asarray(matrix) - np.diag(np.diag(matrix)) - np.eye(len(matrix), dtype=int)\n"
                "    return tuple(int(v) for v in np.unravel_index(np.argmax(off), off.shape))",
            ],
            "wrong": [
                "def confusion_counts(true, predicted, n_classes=10):\n"  # rows and columns swapped
                "    matrix = np.zeros((n_classes, n_classes), dtype=int)\n"
                "    np.add.at(matrix, (np.asarray(predicted), np.asarray(true)), 1)\n"
                "    return matrix\n"
                "\n"
                "def most_confused(matrix):\n"
                "    off = np.array(matrix, copy=True)\n"
                "    np.fill_diagonal(off, -1)\n"
                "    return tuple(int(v) for v in np.unravel_index(np.argmax(off), off.shape))",
                "def confusion_counts(true, predicted, n_classes=10):\n"  # most_confused counts the diagonal
                "    matrix = np.zeros((n_classes, n_classes), dtype=int)\n"
                "    np.add.at(matrix, (np.asarray(true), np.asarray(predicted)), 1)\n"
                "    return matrix\n"
                "\n"
                "def most_confused(matrix):\n"
                "    m = np.asarray(matrix)\n"
                "    return tuple(int(v) for v in np.unravel_index(np.argmax(m), m.shape))",
            ],
        },
    },
    "04-imdb-lstm": {
        "imdb_decode_words": {
            "right": [
                "def decode_words(sequence, word_index):\n"
                "    words_by_number = {}\n"
                "    for word, rank in word_index.items():\n"
                "        words_by_number[rank + 3] = word\n"
                "    words = []\n"
                "    for number in sequence:\n"
                "        if number in (0, 1):\n"
                "            continue\n"
                "        words.append(words_by_number.get(int(number), '?'))\n"
                "    return ' '.join(words)",
                "def decode_words(sequence, word_index):\n"
                "    lookup = dict((rank + 3, word) for word, rank in word_index.items())\n"
                "    return ' '.join([lookup[n] if n in lookup else '?' for n in map(int, sequence) if n > 1])",
            ],
            "wrong": [
                "def decode_words(sequence, word_index):\n"  # no +3 shift
                "    lookup = {rank: word for word, rank in word_index.items()}\n"
                "    return ' '.join(lookup.get(int(i), '?') for i in sequence if int(i) not in (0, 1))",
                "def decode_words(sequence, word_index):\n"  # keeps the start marker as '?'
                "    lookup = {rank + 3: word for word, rank in word_index.items()}\n"
                "    return ' '.join(lookup.get(int(i), '?') for i in sequence if int(i) != 0)",
            ],
        },
        "imdb_fit_length": {
            "right": [
                "def fit_length(sequences, maxlen, keep='end'):\n"
                "    out = np.zeros((len(sequences), maxlen), dtype='int32')\n"
                "    for row, seq in enumerate(sequences):\n"
                "        seq = list(seq)\n"
                "        if keep == 'end':\n"
                "            seq = seq[-maxlen:]\n"
                "            out[row, maxlen - len(seq):] = seq\n"
                "        else:\n"
                "            seq = seq[:maxlen]\n"
                "            out[row, :len(seq)] = seq\n"
                "    return out",
                "def fit_length(sequences, maxlen, keep='end'):\n"
                "    if keep == 'start':\n"
                "        return keras.utils.pad_sequences(sequences, maxlen=maxlen, padding='post', truncating='post')\n"
                "    return keras.utils.pad_sequences(sequences, maxlen=maxlen)",
            ],
            "wrong": [
                "def fit_length(sequences, maxlen, keep='end'):\n"  # the two layouts swapped
                "    side = 'post' if keep == 'end' else 'pre'\n"
                "    return keras.utils.pad_sequences(sequences, maxlen=maxlen, padding=side, truncating=side)",
                "def fit_length(sequences, maxlen, keep='end'):\n"  # pads on the right side but always cuts the end
                "    side = 'pre' if keep == 'end' else 'post'\n"
                "    return keras.utils.pad_sequences(sequences, maxlen=maxlen, padding=side, truncating='post')",
            ],
        },
        "imdb_build_lstm": {
            "right": [
                "def build_lstm_classifier(vocab_size, length, embed_dim=32, units=32):\n"
                "    inputs = keras.Input(shape=(length,), dtype='int32')\n"
                "    x = keras.layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)(inputs)\n"
                "    x = keras.layers.LSTM(units=units)(x)\n"
                "    model = keras.Model(inputs, keras.layers.Dense(1, activation='sigmoid')(x))\n"
                "    model.compile(optimizer=keras.optimizers.Adam(), loss=keras.losses.BinaryCrossentropy(),\n"
                "                  metrics=[keras.metrics.BinaryAccuracy()])\n"
                "    return model",
                "def build_lstm_classifier(vocab_size, length, embed_dim=32, units=32):\n"
                "    model = keras.Sequential()\n"
                "    model.add(keras.Input(shape=(length,)))\n"
                "    model.add(keras.layers.Embedding(vocab_size, embed_dim))\n"
                "    model.add(keras.layers.LSTM(units, activation='tanh', recurrent_activation='sigmoid'))\n"
                "    model.add(keras.layers.Dense(1))\n"
                "    model.add(keras.layers.Activation('sigmoid'))\n"
                "    model.compile('adam', 'binary_crossentropy', metrics=['acc'])\n"
                "    return model",
            ],
            "wrong": [
                "def build_lstm_classifier(vocab_size, length, embed_dim=32, units=32):\n"  # off the cuDNN path
                "    model = keras.Sequential([keras.Input(shape=(length,), dtype='int32'), keras.layers.Embedding(vocab_size, embed_dim),\n"
                "                              keras.layers.LSTM(units, recurrent_dropout=0.2), keras.layers.Dense(1, activation='sigmoid')])\n"
                "    model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])\n"
                "    return model",
                "def build_lstm_classifier(vocab_size, length, embed_dim=32, units=32):\n"  # no sigmoid
                "    model = keras.Sequential([keras.Input(shape=(length,), dtype='int32'), keras.layers.Embedding(vocab_size, embed_dim),\n"
                "                              keras.layers.LSTM(units), keras.layers.Dense(1)])\n"
                "    model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])\n"
                "    return model",
            ],
        },
        "imdb_encode_sentence": {
            "right": [
                "def encode_sentence(text, word_index, num_words, maxlen):\n"
                "    numbers = [1]\n"
                "    for word in tokenize(text):\n"
                "        rank = word_index.get(word)\n"
                "        numbers.append(2 if rank is None or rank + 3 >= num_words else rank + 3)\n"
                "    numbers = numbers[-maxlen:]\n"
                "    return np.array([[0] * (maxlen - len(numbers)) + numbers])",
                "def encode_sentence(text, word_index, num_words, maxlen):\n"
                "    codes = [word_index[w] + 3 if w in word_index and word_index[w] + 3 < num_words else 2 for w in tokenize(text)]\n"
                "    return keras.utils.pad_sequences([[1] + codes], maxlen=maxlen, padding='pre', truncating='pre')",
            ],
            "wrong": [
                "def encode_sentence(text, word_index, num_words, maxlen):\n"  # rare words keep their number
                "    codes = [word_index[w] + 3 if w in word_index else 2 for w in tokenize(text)]\n"
                "    return keras.utils.pad_sequences([[1] + codes], maxlen=maxlen)",
                "def encode_sentence(text, word_index, num_words, maxlen):\n"  # keeps the start of a long sentence
                "    codes = [word_index[w] + 3 if w in word_index and word_index[w] + 3 < num_words else 2 for w in tokenize(text)]\n"
                "    return keras.utils.pad_sequences([[1] + codes], maxlen=maxlen, truncating='post')",
            ],
        },
        "imdb_precision_recall": {
            "right": [
                "def precision_recall_f1(labels, probabilities, threshold=0.5):\n"
                "    y = [int(v) for v in np.ravel(labels)]\n"
                "    called = [float(p) >= threshold for p in np.ravel(probabilities)]\n"
                "    tp = sum(1 for t, c in zip(y, called) if t == 1 and c)\n"
                "    fp = sum(1 for t, c in zip(y, called) if t == 0 and c)\n"
                "    fn = sum(1 for t, c in zip(y, called) if t == 1 and not c)\n"
                "    precision = tp / (tp + fp) if tp + fp > 0 else 0.0\n"
                "    recall = tp / (tp + fn) if tp + fn > 0 else 0.0\n"
                "    f1 = 2 * tp / (2 * tp + fp + fn) if tp > 0 else 0.0\n"
                "    return (precision, recall, f1)",
                "def precision_recall_f1(labels, probabilities, threshold=0.5):\n"
                "    labels, called = np.asarray(labels).reshape(-1) == 1, np.asarray(probabilities).reshape(-1) >= threshold\n"
                "    tp, fp, fn = np.sum(labels & called), np.sum(~labels & called), np.sum(labels & ~called)\n"
                "    with np.errstate(invalid='ignore', divide='ignore'):\n"
                "        p, r = np.nan_to_num(tp / (tp + fp)), np.nan_to_num(tp / (tp + fn))\n"
                "    return float(p), float(r), float(2 * p * r / (p + r)) if p + r else 0.0",
            ],
            "wrong": [
                "def precision_recall_f1(labels, probabilities, threshold=0.5):\n"  # nan for a 0 denominator
                "    labels, called = np.asarray(labels).ravel() == 1, np.asarray(probabilities).ravel() >= threshold\n"
                "    tp, fp, fn = np.sum(labels & called), np.sum(~labels & called), np.sum(labels & ~called)\n"
                "    with np.errstate(invalid='ignore', divide='ignore'):\n"
                "        p, r = tp / (tp + fp), tp / (tp + fn)\n"
                "        return float(p), float(r), float(2 * p * r / (p + r))",
                "def precision_recall_f1(labels, probabilities, threshold=0.5):\n"  # F1 as the plain mean
                "    labels, called = np.asarray(labels).ravel() == 1, np.asarray(probabilities).ravel() >= threshold\n"
                "    tp, fp, fn = np.sum(labels & called), np.sum(~labels & called), np.sum(labels & ~called)\n"
                "    p = float(tp / (tp + fp)) if tp + fp else 0.0\n"
                "    r = float(tp / (tp + fn)) if tp + fn else 0.0\n"
                "    return p, r, (p + r) / 2",
            ],
        },
    },
    "05-cnn": {
        "conv_output_length": {
            "right": [
                "import math\n"
                "def conv_output_length(n, kernel_size, stride=1, padding='valid', dilation=1):\n"
                "    if padding == 'same':\n"
                "        return math.ceil(n / stride)\n"
                "    span = dilation * (kernel_size - 1) + 1\n"
                "    return math.floor((n - span) / stride) + 1",
                "def conv_output_length(n, kernel_size, stride=1, padding='valid', dilation=1):\n"
                "    size = n if padding == 'same' else n - dilation * (kernel_size - 1)\n"
                "    return (size + stride - 1) // stride",
            ],
            "wrong": [
                "def conv_output_length(n, kernel_size, stride=1, padding='valid', dilation=1):\n"  # ignores the dilation
                "    if padding == 'same':\n"
                "        return -(-n // stride)\n"
                "    return (n - kernel_size) // stride + 1",
                "def conv_output_length(n, kernel_size, stride=1, padding='valid', dilation=1):\n"  # 'same' keeps n whatever the stride
                "    if padding == 'same':\n"
                "        return n\n"
                "    return (n - dilation * (kernel_size - 1) - 1) // stride + 1",
            ],
        },
        "conv_param_count": {
            "right": [
                "import math\n"
                "def conv_param_count(kernel_size, in_channels, filters, use_bias=True):\n"
                "    return math.prod(kernel_size) * in_channels * filters + (filters if use_bias else 0)",
                "def conv_param_count(kernel_size, in_channels, filters, use_bias=True):\n"
                "    weights = 1\n"
                "    for size in kernel_size:\n"
                "        weights *= size\n"
                "    return filters * (weights * in_channels + int(bool(use_bias)))",
            ],
            "wrong": [
                "def conv_param_count(kernel_size, in_channels, filters, use_bias=True):\n"  # forgets the input channels
                "    return (int(np.prod(kernel_size)) + (1 if use_bias else 0)) * filters",
                "def conv_param_count(kernel_size, in_channels, filters, use_bias=True):\n"  # one bias per input channel
                "    return (int(np.prod(kernel_size)) + (1 if use_bias else 0)) * in_channels * filters",
            ],
        },
        "hand_convolution": {
            "right": [
                "def convolve2d(image, kernel, stride=1):\n"
                "    windows = np.lib.stride_tricks.sliding_window_view(np.asarray(image, float), np.shape(kernel))[::stride, ::stride]\n"
                "    return np.einsum('ijkl,kl->ij', windows, np.asarray(kernel, float))",
                "def convolve2d(image, kernel, stride=1):\n"
                "    image, kernel = np.asarray(image, float), np.asarray(kernel, float)\n"
                "    rows = range(0, image.shape[0] - kernel.shape[0] + 1, stride)\n"
                "    cols = range(0, image.shape[1] - kernel.shape[1] + 1, stride)\n"
                "    return np.array([[np.sum(image[r:r + kernel.shape[0], c:c + kernel.shape[1]] * kernel) for c in cols] for r in rows])",
            ],
            "wrong": [
                "def convolve2d(image, kernel, stride=1):\n"  # a true convolution: the kernel flipped
                "    image, kernel = np.asarray(image, float), np.asarray(kernel, float)[::-1, ::-1]\n"
                "    kh, kw = kernel.shape\n"
                "    return np.array([[np.sum(image[r:r + kh, c:c + kw] * kernel) for c in range(0, image.shape[1] - kw + 1, stride)]\n"
                "                     for r in range(0, image.shape[0] - kh + 1, stride)])",
                "def convolve2d(image, kernel, stride=1):\n"  # ignores the stride
                "    image, kernel = np.asarray(image, float), np.asarray(kernel, float)\n"
                "    kh, kw = kernel.shape\n"
                "    return np.array([[np.sum(image[r:r + kh, c:c + kw] * kernel) for c in range(image.shape[1] - kw + 1)]\n"
                "                     for r in range(image.shape[0] - kh + 1)])",
            ],
        },
        "build_cnn": {
            "right": [
                "def build_cnn(input_shape=(28, 28, 1), num_classes=10):\n"  # batch normalisation with Keras's default momentum
                "    model = keras.Sequential([keras.Input(shape=input_shape),\n"
                "                              keras.layers.Conv2D(16, 3, padding='same', use_bias=False), keras.layers.BatchNormalization(),\n"
                "                              keras.layers.ReLU(), keras.layers.MaxPooling2D(),\n"
                "                              keras.layers.Conv2D(32, 3, padding='same', use_bias=False), keras.layers.BatchNormalization(),\n"
                "                              keras.layers.ReLU(), keras.layers.MaxPooling2D(),\n"
                "                              keras.layers.Flatten(), keras.layers.Dense(num_classes, activation='softmax')])\n"
                "    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])\n"
                "    return model",
                "def build_cnn(input_shape=(28, 28, 1), num_classes=10):\n"  # functional, global pooling, loss and metric objects
                "    inputs = keras.Input(shape=input_shape)\n"
                "    x = keras.layers.Conv2D(32, 3, activation='relu')(inputs)\n"
                "    x = keras.layers.Conv2D(32, 3, activation='relu')(x)\n"
                "    x = keras.layers.GlobalAveragePooling2D()(x)\n"
                "    model = keras.Model(inputs, keras.layers.Dense(num_classes, activation='softmax')(x))\n"
                "    model.compile(optimizer=keras.optimizers.Adam(0.003), loss=keras.losses.SparseCategoricalCrossentropy(),\n"
                "                  metrics=[keras.metrics.SparseCategoricalAccuracy()])\n"
                "    return model",
            ],
            "wrong": [
                "def build_cnn(input_shape=(28, 28, 1), num_classes=10):\n"  # no pooling layer
                "    model = keras.Sequential([keras.Input(shape=input_shape), keras.layers.Conv2D(8, 3, strides=2, activation='relu'),\n"
                "                              keras.layers.Conv2D(8, 3, strides=2, activation='relu'), keras.layers.Flatten(),\n"
                "                              keras.layers.Dense(num_classes, activation='softmax')])\n"
                "    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])\n"
                "    return model",
                "def build_cnn(input_shape=(28, 28, 1), num_classes=10):\n"  # the one-hot loss
                "    model = keras.Sequential([keras.Input(shape=input_shape), keras.layers.Conv2D(16, 3, activation='relu'),\n"
                "                              keras.layers.MaxPooling2D(), keras.layers.Conv2D(32, 3, activation='relu'),\n"
                "                              keras.layers.MaxPooling2D(), keras.layers.Flatten(), keras.layers.Dense(num_classes, activation='softmax')])\n"
                "    model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])\n"
                "    return model",
            ],
        },
        "error_reduction": {
            "right": [
                "def error_reduction(accuracy_before, accuracy_after):\n    return 1 - (1 - accuracy_after) / (1 - accuracy_before)",
                "def error_reduction(accuracy_before, accuracy_after):\n"
                "    errors_before = 1.0 - float(accuracy_before)\n"
                "    return (float(accuracy_after) - float(accuracy_before)) / errors_before",
            ],
            "wrong": [
                "def error_reduction(accuracy_before, accuracy_after):\n    return accuracy_after - accuracy_before",  # points, not a share of the errors
                "def error_reduction(accuracy_before, accuracy_after):\n    return ((1 - accuracy_before) - (1 - accuracy_after)) / (1 - accuracy_after)",
            ],
        },
        "most_active_maps": {
            "right": [
                "def most_active_maps(feature_maps, k=3):\n"
                "    maps = np.squeeze(np.asarray(feature_maps, float), axis=0) if np.ndim(feature_maps) == 4 else np.asarray(feature_maps, float)\n"
                "    means = maps.mean(axis=(0, 1))\n"
                "    return sorted(range(len(means)), key=lambda c: -means[c])[:k]",
                "def most_active_maps(feature_maps, k=3):\n"
                "    means = np.asarray(feature_maps).reshape(-1, np.shape(feature_maps)[-1]).mean(axis=0)\n"
                "    return list(np.argsort(means)[::-1][:k])",
            ],
            "wrong": [
                "def most_active_maps(feature_maps, k=3):\n"  # the largest value, not the mean
                "    maps = np.asarray(feature_maps, float)\n"
                "    return [int(i) for i in np.argsort(-maps.reshape(-1, maps.shape[-1]).max(axis=0))[:k]]",
                "def most_active_maps(feature_maps, k=3):\n"  # the least active first
                "    maps = np.asarray(feature_maps, float)\n"
                "    return [int(i) for i in np.argsort(maps.reshape(-1, maps.shape[-1]).mean(axis=0))[:k]]",
            ],
        },
    },
    "06-tuning": {
        "tuner_search_space": {
            "right": [
                "def build_small_model(hp):\n"  # Choice lists that offer the same values, functional API
                "    inputs = keras.Input(shape=(28, 28))\n"
                "    x = keras.layers.Flatten()(inputs)\n"
                "    x = keras.layers.Dense(hp.Choice('units', list(range(32, 257, 32))), activation=hp.Choice('activation', ['tanh', 'relu']))(x)\n"
                "    x = keras.layers.Dropout(hp.Choice('dropout', [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]))(x)\n"
                "    model = keras.Model(inputs, keras.layers.Dense(10, activation='softmax')(x))\n"
                "    model.compile(optimizer=keras.optimizers.Adam(hp.Float('learning_rate', 1e-4, 1e-2, sampling='log')),\n"
                "                  loss=keras.losses.SparseCategoricalCrossentropy(), metrics=['accuracy'])\n"
                "    return model",
                "def build_small_model(hp):\n"
                "    units = hp.Int('units', 32, 256, 32)\n"
                "    activation = hp.Choice('activation', values=['relu', 'tanh'])\n"
                "    rate = hp.Float('dropout', 0.0, 0.5, step=0.1)\n"
                "    learning_rate = hp.Float('learning_rate', min_value=0.0001, max_value=0.01, sampling='log')\n"
                "    model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(units, activation=activation),\n"
                "                              keras.layers.Dropout(rate), keras.layers.Dense(10, activation='softmax')])\n"
                "    model.compile(keras.optimizers.Adam(learning_rate=learning_rate), 'sparse_categorical_crossentropy', metrics=['acc'])\n"
                "    return model",
            ],
            "wrong": [
                "def build_small_model(hp):\n"  # linear sampling of the learning rate
                "    model = keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Flatten(),\n"
                "                              keras.layers.Dense(hp.Int('units', 32, 256, step=32), activation=hp.Choice('activation', ['relu', 'tanh'])),\n"
                "                              keras.layers.Dropout(hp.Float('dropout', 0.0, 0.5, step=0.1)), keras.layers.Dense(10, activation='softmax')])\n"
                "    model.compile(optimizer=keras.optimizers.Adam(hp.Float('learning_rate', 1e-4, 1e-2)),\n"
                "                  loss='sparse_categorical_crossentropy', metrics=['accuracy'])\n"
                "    return model",
                "def build_small_model(hp):\n"  # units in steps of 16
                "    model = keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Flatten(),\n"
                "                              keras.layers.Dense(hp.Int('units', 32, 256, step=16), activation=hp.Choice('activation', ['relu', 'tanh'])),\n"
                "                              keras.layers.Dropout(hp.Float('dropout', 0.0, 0.5, step=0.1)), keras.layers.Dense(10, activation='softmax')])\n"
                "    model.compile(optimizer=keras.optimizers.Adam(hp.Float('learning_rate', 1e-4, 1e-2, sampling='log')),\n"
                "                  loss='sparse_categorical_crossentropy', metrics=['accuracy'])\n"
                "    return model",
            ],
        },
        "configure_callbacks": {
            "right": [
                "def make_callbacks(checkpoint_path, log_dir):\n"  # another order, explicit modes
                "    return [keras.callbacks.TensorBoard(log_dir),\n"
                "            keras.callbacks.ModelCheckpoint(filepath=checkpoint_path, monitor='val_loss', mode='min', save_best_only=True),\n"
                "            keras.callbacks.ReduceLROnPlateau(monitor='val_loss', factor=1 / 2, patience=2, mode='min'),\n"
                "            keras.callbacks.EarlyStopping(monitor='val_loss', patience=5, restore_best_weights=True, mode='min')]",
                "def make_callbacks(checkpoint_path, log_dir):\n"
                "    callbacks = []\n"
                "    callbacks.append(keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True))\n"
                "    callbacks.append(keras.callbacks.ReduceLROnPlateau(factor=0.5, patience=2))\n"
                "    callbacks.append(keras.callbacks.ModelCheckpoint(str(checkpoint_path), save_best_only=True))\n"
                "    callbacks.append(keras.callbacks.TensorBoard(log_dir=str(log_dir)))\n"
                "    return callbacks",
            ],
            "wrong": [
                "def make_callbacks(checkpoint_path, log_dir):\n"  # saves every epoch, not only the best
                "    return [keras.callbacks.EarlyStopping(monitor='val_loss', patience=5, restore_best_weights=True),\n"
                "            keras.callbacks.ReduceLROnPlateau(monitor='val_loss', factor=0.5, patience=2),\n"
                "            keras.callbacks.ModelCheckpoint(checkpoint_path, monitor='val_loss'),\n"
                "            keras.callbacks.TensorBoard(log_dir=log_dir)]",
                "def make_callbacks(checkpoint_path, log_dir):\n"  # the learning rate waits 3 epochs
                "    return [keras.callbacks.EarlyStopping(monitor='val_loss', patience=5, restore_best_weights=True),\n"
                "            keras.callbacks.ReduceLROnPlateau(monitor='val_loss', factor=0.5, patience=3),\n"
                "            keras.callbacks.ModelCheckpoint(checkpoint_path, monitor='val_loss', save_best_only=True),\n"
                "            keras.callbacks.TensorBoard(log_dir=log_dir)]",
            ],
        },
        "steepest_learning_rate": {
            "right": [
                "def steepest_learning_rate(rates, losses):\n"
                "    best_rate, best_slope = None, float('inf')\n"
                "    for i in range(len(losses) - 1):\n"
                "        if not (np.isfinite(losses[i]) and np.isfinite(losses[i + 1])):\n"
                "            break\n"
                "        slope = (losses[i + 1] - losses[i]) / (np.log10(rates[i + 1]) - np.log10(rates[i]))\n"
                "        if slope < best_slope:\n"
                "            best_rate, best_slope = float(rates[i]), slope\n"
                "    return best_rate",
                "def steepest_learning_rate(rates, losses):\n"
                "    rates, losses = np.asarray(rates, float), np.asarray(losses, float)\n"
                "    finite = np.cumprod(np.isfinite(losses)).astype(bool)\n"
                "    rates, losses = rates[finite], losses[finite]\n"
                "    return float(rates[np.argmin(np.diff(losses) / np.diff(np.log10(rates)))])",
            ],
            "wrong": [
                "def steepest_learning_rate(rates, losses):\n"  # the end of the steepest step
                "    rates, losses = np.asarray(rates, float), np.asarray(losses, float)\n"
                "    bad = np.flatnonzero(~np.isfinite(losses))\n"
                "    end = bad[0] if len(bad) else len(losses)\n"
                "    rates, losses = rates[:end], losses[:end]\n"
                "    return float(rates[int(np.argmin(np.diff(losses) / np.diff(np.log10(rates)))) + 1])",
                "def steepest_learning_rate(rates, losses):\n"  # drops the non-finite values but keeps what follows them
                "    rates, losses = np.asarray(rates, float), np.asarray(losses, float)\n"
                "    good = np.isfinite(losses)\n"
                "    rates, losses = rates[good], losses[good]\n"
                "    return float(rates[int(np.argmin(np.diff(losses) / np.diff(np.log10(rates))))])",
            ],
        },
        "kfold_indices": {
            "right": [
                "def kfold_indices(n, k):\n"
                "    sizes = [n // k + (1 if i < n % k else 0) for i in range(k)]\n"
                "    pairs, start = [], 0\n"
                "    for size in sizes:\n"
                "        val = np.arange(start, start + size)\n"
                "        pairs.append((np.concatenate([np.arange(0, start), np.arange(start + size, n)]), val))\n"
                "        start += size\n"
                "    return pairs",
                "def kfold_indices(n, k):\n"  # folds by remainder: every k-th index
                "    everything = np.arange(n)\n"
                "    return [(everything[everything % k != i], everything[everything % k == i]) for i in range(k)]",
            ],
            "wrong": [
                "def kfold_indices(n, k):\n"  # the last fold takes the whole remainder
                "    size = n // k\n"
                "    folds = [np.arange(i * size, (i + 1) * size if i < k - 1 else n) for i in range(k)]\n"
                "    return [(np.setdiff1d(np.arange(n), fold), fold) for fold in folds]",
                "def kfold_indices(n, k):\n"  # trains on the validation fold too
                "    return [(np.arange(n), fold) for fold in np.array_split(np.arange(n), k)]",
            ],
        },
    },
}
