// Ansible as a contender: ssh connection plugin, host keys pinned in our known_hosts, pipelining on,
// forks = servers, fresh connections for every timed run (masters closed in between, outside the
// timing), no ssh compression (-C only slows an incompressible artifact down).
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestServer } from '../../test/support/sshd.js';
import type { Fleet } from './fleet.js';
import { run, type ProcResult } from './proc.js';

export interface Ansible {
  /** Runs a playbook against the servers; rejects on failure. */
  playbook(
    name: 'deploy' | 'checks',
    servers: TestServer[],
    vars: Record<string, string>,
  ): Promise<ProcResult>;
  /** Closes the ControlPersist masters a run left (outside the timing). */
  closeMasters(): Promise<void>;
}

const DEPLOY = `# copy + unarchive(remote_src) + symlink switch; the copy module verifies the upload's checksum
- hosts: bench
  gather_facts: false
  tasks:
    - name: release directory
      ansible.builtin.file:
        path: "{{ base }}/releases/{{ release }}"
        state: directory
    - name: upload
      ansible.builtin.copy:
        src: "{{ artifact }}"
        dest: "{{ base }}/upload-{{ release }}.tar.gz"
    - name: unpack
      ansible.builtin.unarchive:
        src: "{{ base }}/upload-{{ release }}.tar.gz"
        dest: "{{ base }}/releases/{{ release }}"
        remote_src: true
    - name: switch current
      ansible.builtin.file:
        src: "releases/{{ release }}"
        dest: "{{ base }}/current"
        state: link
        force: true
`;

const CHECKS = `# the same preset conditions as our checks: disk, memory, 3 binaries, 2 free ports, 1 probe
- hosts: bench
  gather_facts: true
  gather_subset: ['!all', 'hardware']
  tasks:
    - name: probe (kernel)
      ansible.builtin.command: uname -s
      register: kernel
      changed_when: false
    - name: binaries and free ports
      ansible.builtin.shell: >-
        command -v tar && command -v sh && command -v sha256sum &&
        ! awk '$4 == "0A" { split($2, a, ":"); print a[2] }' /proc/net/tcp /proc/net/tcp6 |
        grep -qE '^(2382|2383)$'
      register: probes
      changed_when: false
    - name: preset conditions
      ansible.builtin.assert:
        quiet: true
        that:
          - (ansible_mounts | selectattr('mount', 'in', ['/', '/home']) | map(attribute='size_available') | max) >= 1048576
          - ansible_memory_mb.nocache.free >= 16
          - kernel.stdout is match('^Linux$')
`;

export async function setUpAnsible(
  executable: string,
  fleet: Fleet,
  dir: string,
): Promise<Ansible> {
  const home = path.join(dir, 'ansible');
  const controlDir = path.join(home, 'cp');
  await mkdir(controlDir, { recursive: true });
  await mkdir(path.join(home, 'local-tmp'), { recursive: true });
  const cfg = path.join(home, 'ansible.cfg');
  await writeFile(
    cfg,
    [
      '[defaults]',
      'host_key_checking = True',
      'interpreter_python = /usr/bin/python3',
      'retry_files_enabled = False',
      `local_tmp = ${home}/local-tmp`,
      'nocows = 1',
      '[ssh_connection]',
      'pipelining = True',
      `ssh_args = -F /dev/null -o ControlMaster=auto -o ControlPersist=60s -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=${fleet.knownHosts} -o GlobalKnownHostsFile=/dev/null`,
      `control_path_dir = ${controlDir}`,
      '',
    ].join('\n'),
  );
  await writeFile(path.join(home, 'deploy.yml'), DEPLOY);
  await writeFile(path.join(home, 'checks.yml'), CHECKS);
  const env = {
    ...process.env,
    ANSIBLE_CONFIG: cfg,
    ANSIBLE_HOME: home,
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_FORCE_COLOR: '0',
    ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
  };
  let inventories = 0;
  return {
    async playbook(name, servers, vars) {
      const inventory = path.join(home, `inventory-${++inventories}.ini`);
      await writeFile(
        inventory,
        [
          '[bench]',
          ...servers.map(
            (s) =>
              `${s.name} ansible_host=${s.host} ansible_port=${s.port} ansible_user=${s.user} base=${s.home}/bench-ansible`,
          ),
          '[bench:vars]',
          `ansible_ssh_private_key_file=${fleet.keyFile}`,
          '',
        ].join('\n'),
      );
      const extra = Object.entries(vars).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
      return run(
        executable,
        ['-i', inventory, '-f', String(servers.length), ...extra, path.join(home, `${name}.yml`)],
        { env, cwd: home, timeoutMs: 300_000 },
      );
    },
    async closeMasters() {
      for (const socket of await readdir(controlDir).catch(() => [] as string[])) {
        await run(
          'ssh',
          [
            '-F',
            '/dev/null',
            '-o',
            `ControlPath=${path.join(controlDir, socket)}`,
            '-O',
            'exit',
            'bench',
          ],
          {
            timeoutMs: 10_000,
            allowFail: true,
          },
        );
      }
    },
  };
}
