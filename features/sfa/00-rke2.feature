@section:k8s
Feature: RKE2 Kubernetes operations: daily cluster health checks
  The runbook's daily checks of the RKE2 cluster (kubectl get nodes, kubectl get pods
  --all-namespaces | grep -v Running, kubectl get pv,pvc, etcdctl endpoint health --cluster),
  read from each object's status rather than kubectl's table: a pod in CrashLoopBackOff is in phase
  Running, and grep -v Running lets it through.

  @runbook:k8s.1 @needs:rke2
  Scenario: Every node Ready: the runbook's control plane and workers
    Then kubectl lists the runbook's control-plane nodes and workers, every node Ready

  @runbook:k8s.1 @needs:rke2
  Scenario: Every pod running and ready, every volume and claim bound
    Then every pod in every namespace is running with its containers ready or has completed, and every persistent volume and claim is bound

  @runbook:k8s.4 @needs:rke2
  Scenario: The control plane's certificates: the API server's as it serves it, and every one in its certificate directory, valid beyond the horizon
    Then the API server's certificate as it serves it and every certificate in the control plane's certificate directory end beyond the certificate horizon

  @runbook:k8s.2 @needs:rke2 @needs:container-exec
  Scenario: RKE2's etcd: every endpoint healthy, asked in each control-plane node's etcd pod
    Then the etcd of every control-plane node reports every endpoint of the cluster healthy
