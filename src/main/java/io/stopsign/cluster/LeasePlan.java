package io.stopsign.cluster;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which analyzer should hold each camera: an even spread (counts differ by at most one) that moves
 * as few cameras as possible away from their current holders, so a joining analyzer takes only its
 * share and nothing else moves. Deterministic, so every analyzer computes the same plan from the
 * same view.
 */
public final class LeasePlan {

  /**
   * @param cameras camera ids
   * @param analyzers live analyzer nodes
   * @param holders current holder of each camera (absent = free)
   * @return the target analyzer of every camera; empty when no analyzer is live
   */
  public static Map<String, String> of(
      List<String> cameras, List<String> analyzers, Map<String, String> holders) {
    Map<String, String> plan = new HashMap<>();
    if (analyzers.isEmpty()) {
      return plan;
    }
    List<String> sortedCameras = cameras.stream().sorted().toList();
    Map<String, Integer> load = new TreeMap<>();
    analyzers.forEach(a -> load.put(a, 0));
    int base = cameras.size() / analyzers.size();
    int extra = cameras.size() % analyzers.size();
    for (String camera : sortedCameras) { // keep up to the even share with the current holder
      String holder = holders.get(camera);
      if (holder != null && load.containsKey(holder) && load.get(holder) < base) {
        plan.put(camera, holder);
        load.merge(holder, 1, Integer::sum);
      }
    }
    int extrasUsed = 0;
    for (String camera : sortedCameras) { // then one more where the spread allows it
      String holder = holders.get(camera);
      if (!plan.containsKey(camera)
          && holder != null
          && load.containsKey(holder)
          && load.get(holder) == base
          && extrasUsed < extra) {
        plan.put(camera, holder);
        load.merge(holder, 1, Integer::sum);
        extrasUsed++;
      }
    }
    for (String camera : sortedCameras) { // the rest to the least loaded, smallest id first
      if (!plan.containsKey(camera)) {
        String least = null;
        for (Map.Entry<String, Integer> e : load.entrySet()) {
          if (least == null || e.getValue() < load.get(least)) {
            least = e.getKey();
          }
        }
        plan.put(camera, least);
        load.merge(least, 1, Integer::sum);
      }
    }
    return plan;
  }

  private LeasePlan() {}
}
