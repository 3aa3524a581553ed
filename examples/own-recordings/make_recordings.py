#!/usr/bin/env python3
"""Writes a folder of CSV recordings as a phone logging app might: one session per subject
(my-recordings/subjectNN/session.csv: timestamp_ms,ax,ay,az,activity at about 100 Hz with jittered
times, acceleration in m/s^2 with gravity, the activity a person tapped in), and new.csv, an
unlabelled recording to predict (20 s of walking, then 20 s of jogging). The activities are
synthetic: still (gravity and sensor noise), walking (about 2 Hz) and jogging (about 3 Hz, stronger).
Usage: make_recordings.py DIR"""
import math
import os
import random
import sys


def sample(activity, t, subject, rng):
    f = 1 + 0.04 * subject  # each subject's own pace
    if activity == "still":
        x, y, z = 0.0, 0.0, 9.81
    elif activity == "walk":
        x = 2.0 * math.sin(2 * math.pi * 2.0 * f * t)
        y = 0.8 * math.sin(2 * math.pi * 1.0 * f * t + 0.5)
        z = 9.81 + 1.5 * math.sin(2 * math.pi * 4.0 * f * t)
    else:  # jog
        x = 6.0 * math.sin(2 * math.pi * 3.0 * f * t)
        y = 2.0 * math.sin(2 * math.pi * 1.5 * f * t + 0.5)
        z = 9.81 + 5.0 * math.sin(2 * math.pi * 6.0 * f * t)
    return [v + rng.gauss(0, 0.1) for v in (x, y, z)]


def write(path, segments, subject, rng, labelled=True):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    t = 0.0
    with open(path, "w") as out:
        out.write("timestamp_ms,ax,ay,az" + (",activity" if labelled else "") + "\n")
        for activity, seconds in segments:
            end = t + seconds
            while t < end:
                x, y, z = sample(activity, t, subject, rng)
                out.write(f"{t * 1000:.1f},{x:.4f},{y:.4f},{z:.4f}" +
                          (f",{activity}" if labelled else "") + "\n")
                t += 0.01 + rng.uniform(-0.001, 0.001)


def main():
    root = sys.argv[1]
    rng = random.Random(1)
    for subject in range(1, 5):
        segments = [("still", 40), ("walk", 60), ("jog", 40), ("walk", 30), ("still", 20)]
        write(f"{root}/my-recordings/subject{subject:02d}/session.csv", segments, subject, rng)
    write(f"{root}/new.csv", [("walk", 20), ("jog", 20)], 5, rng, labelled=False)


if __name__ == "__main__":
    main()
